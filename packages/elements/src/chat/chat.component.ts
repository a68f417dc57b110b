import { type ChatState, ChatStore, type OnAirClient, OnAirError } from '@onair/core';
import type { ChatBadge, ChatMessage } from '@onair/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { defineElement, emit } from '../internal/events.js';
import { type MessageKey, translate } from '../internal/i18n.js';
import { StoreController } from '../internal/store-controller.js';
import { chatStyles } from './chat.styles.js';

/**
 * What `<onair-chat>` needs from a chat store: a core `ChatStore`, or any
 * object of the same shape (a host app's own store, a mock in Storybook).
 */
export interface ChatStoreLike {
  subscribe(listener: (state: ChatState) => void): () => void;
  getSnapshot(): ChatState;
  send(text: string): Promise<ChatMessage>;
  dismiss(id: string): void;
  loadOlder?(): Promise<void>;
  delete?(messageId: string): Promise<void>;
  pin?(messageId: string | null): Promise<void>;
}

const BADGE_SYMBOLS: Record<ChatBadge, string> = {
  owner: 'HOST',
  moderator: 'MOD',
  admin: 'ADMIN',
  'subscriber-1': 'SUB',
  'subscriber-2': 'SUB2',
  'subscriber-3': 'SUB3',
};

/** Detail of `onair-chat-sent`. */
export interface ChatSentDetail {
  message: ChatMessage;
}

/** Detail of `onair-chat-error`. */
export interface ChatErrorDetail {
  error: OnAirError;
}

/**
 * Live chat of a stream, with viewer count. Needs `client` and `stream-id`,
 * or a `store` (a core `ChatStore`) to share one with other components.
 *
 * @event onair-chat-sent - A message was accepted by the server. Detail: {@link ChatSentDetail}.
 * @event onair-chat-error - Sending failed. Detail: {@link ChatErrorDetail}.
 * @csspart header - Title and viewer count.
 * @csspart messages - The message list.
 * @csspart form - The composer.
 * @cssproperty --onair-chat-background - Background colour.
 * @cssproperty --onair-chat-foreground - Text colour.
 * @cssproperty --onair-chat-muted - Secondary text colour.
 * @cssproperty --onair-chat-accent - Author names and send button.
 * @cssproperty --onair-chat-error - Error colour.
 */
export class OnAirChatElement extends LitElement {
  static override styles = chatStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    client: { attribute: false },
    store: { attribute: false },
    readonly: { type: Boolean, reflect: true },
    canModerate: { type: Boolean, attribute: 'can-moderate' },
  };

  /** Stream whose chat to show. */
  declare streamId: string | undefined;
  /** The OnAir client. */
  declare client: OnAirClient | undefined;
  /** A chat store to use instead of creating one from `client` and `stream-id`. */
  declare store: ChatStoreLike | undefined;
  /** Hide the composer. */
  declare readonly: boolean;
  /**
   * Show moderation actions (delete, pin). Set it for the channel's owner and
   * moderators; the server checks again and refuses others.
   */
  declare canModerate: boolean;

  private readonly state = new StoreController<ChatState>(this);
  private ownStore: ChatStore | undefined;
  private sendError: OnAirError | null = null;

  constructor() {
    super();
    this.readonly = false;
    this.canModerate = false;
  }

  private t(key: MessageKey, vars?: Record<string, string | number>) {
    return translate(this, key, vars);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') || changed.has('streamId') || changed.has('store')) {
      this.ownStore = undefined;
      if (!this.store && this.client && this.streamId) {
        this.ownStore = new ChatStore(this.client, this.streamId);
      }
      this.state.setStore(this.store ?? this.ownStore);
    }
  }

  protected override updated(): void {
    const s = this.state.value;
    this.dataset.status = s?.status ?? 'idle';
    const list = this.renderRoot.querySelector('ol');
    // Keep the newest message in view unless the reader scrolled up.
    if (list && list.scrollHeight - list.scrollTop - list.clientHeight < 80) {
      list.scrollTop = list.scrollHeight;
    }
  }

  private badgeLabel(badge: ChatBadge): string {
    if (badge.startsWith('subscriber-'))
      return this.t('badgeSubscriber', { tier: badge.slice(11) });
    return this.t(
      badge === 'owner' ? 'badgeOwner' : badge === 'moderator' ? 'badgeModerator' : 'badgeAdmin',
    );
  }

  private get activeStore(): ChatStoreLike | undefined {
    return this.store ?? this.ownStore;
  }

  private async moderate(action: () => Promise<void> | undefined): Promise<void> {
    this.sendError = null;
    try {
      await action();
    } catch (error) {
      this.sendError = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('text') as HTMLInputElement;
    const text = input.value;
    if (!text.trim() || !this.activeStore) return;
    input.value = '';
    this.sendError = null;
    try {
      const message = await this.activeStore.send(text);
      emit<ChatSentDetail>(this, 'onair-chat-sent', { message });
    } catch (error) {
      this.sendError = OnAirError.from(error);
      emit<ChatErrorDetail>(this, 'onair-chat-error', { error: this.sendError });
    }
    this.requestUpdate();
  }

  override render() {
    const s = this.state.value;
    const messages = s?.messages ?? [];
    const error = this.sendError ?? (s?.status === 'error' ? s.error : null);
    return html`
      <header part="header">
        ${this.t('chat')}
        <span aria-live="polite">${this.t('viewers', { count: s?.viewerCount ?? 0 })}</span>
      </header>
      ${
        s?.pinned
          ? html`<div part="pinned" class="pinned" role="note" aria-label=${this.t('pinned')}>
              <strong>${this.t('pinned')}</strong>
              <span class="author">${s.pinned.author.displayName}</span>
              <span class="text">${s.pinned.text}</span>
              ${
                this.canModerate
                  ? html`<button class="link" @click=${() => this.moderate(() => this.activeStore?.pin?.(null))}>${this.t('unpin')}</button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      <ol part="messages" aria-label=${this.t('chat')} aria-live="polite" tabindex="0">
        ${
          s?.hasOlder
            ? html`<li class="older"><button class="link" ?disabled=${s.loadingOlder} @click=${() => this.activeStore?.loadOlder?.()}>${this.t('loadEarlier')}</button></li>`
            : nothing
        }
        ${
          messages.length === 0
            ? html`<li class="empty">${this.t('noMessages')}</li>`
            : repeat(
                messages,
                (m) => m.id,
                (m) => html`<li data-delivery=${m.delivery} data-id=${m.id}>
                  ${m.author.badges.map(
                    (badge) =>
                      html`<span class="badge" data-badge=${badge} title=${this.badgeLabel(badge)} aria-label=${this.badgeLabel(badge)}>${BADGE_SYMBOLS[badge]}</span>`,
                  )}
                  ${m.author.displayName ? html`<span class="author">${m.author.displayName}</span>` : nothing}
                  <span class="text">${m.text}</span>
                  ${m.delivery === 'pending' ? html` <small>${this.t('sending')}</small>` : nothing}
                  ${
                    this.canModerate && m.delivery === 'sent'
                      ? html`<span class="actions" role="group" aria-label=${this.t('messageActions', { author: m.author.displayName })}>
                          <button class="link" @click=${() => this.moderate(() => this.activeStore?.pin?.(m.id))}>${this.t('pin')}</button>
                          <button class="link" @click=${() => this.moderate(() => this.activeStore?.delete?.(m.id))}>${this.t('deleteMessage')}</button>
                        </span>`
                      : nothing
                  }
                  ${
                    m.delivery === 'failed'
                      ? html` <small>${this.t('failed')}</small>
                          <button @click=${() => this.activeStore?.dismiss(m.id)}>
                            ${this.t('retry')}
                          </button>`
                      : nothing
                  }
                </li>`,
              )
        }
      </ol>
      ${error ? html`<div class="error" role="alert" data-code=${error.code}>${error.message}</div>` : nothing}
      ${
        this.readonly
          ? nothing
          : html`<form part="form" @submit=${this.onSubmit}>
              <input
                name="text"
                autocomplete="off"
                maxlength="500"
                aria-label=${this.t('chatPlaceholder')}
                placeholder=${this.t('chatPlaceholder')}
              />
              <button type="submit">${this.t('send')}</button>
            </form>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-chat': OnAirChatElement;
  }
  interface GlobalEventHandlersEventMap {
    'onair-chat-sent': CustomEvent<ChatSentDetail>;
    'onair-chat-error': CustomEvent<ChatErrorDetail>;
  }
}

/** Registers `<onair-chat>`. */
export function defineChat(): void {
  defineElement('onair-chat', OnAirChatElement);
}
