import { type ChatEntry, type ChatState, ChatStore, OnAirError } from '@onair/core';
import type { ChatBadge, ChatMessage, Emote } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { languageOf } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { avatarStyles, renderAvatar, renderTime } from '../internal/people.js';
import { StoreController } from '../internal/store-controller.js';
import { VirtualWindow } from '../internal/virtual-window.js';
import { chatStyles } from './chat.styles.js';
import { renderPicker, renderRestriction } from './chat-parts.js';
import { BADGE_SYMBOLS, badgeLabel, mentions, renderChatText } from './chat-text.js';

/**
 * What `<onair-chat>` needs from a chat store: a core `ChatStore`, or any
 * object of the same shape (a host app's own store, a mock in Storybook).
 */
export interface ChatStoreLike {
  subscribe(listener: (state: ChatState) => void): () => void;
  getSnapshot(): ChatState;
  /** Sends a message, or runs a `/command` (resolves null). */
  send(text: string): Promise<ChatMessage | null>;
  dismiss(id: string): void;
  loadOlder?(): Promise<void>;
  delete?(messageId: string): Promise<void>;
  pin?(messageId: string | null): Promise<void>;
  timeout?(userId: string, seconds: number): Promise<void>;
  ban?(userId: string, reason?: string): Promise<void>;
}

/** Seconds of the timeout in the moderation menu. */
const MENU_TIMEOUT_SECONDS = 600;
/** A message this soon after the first of its author's run joins it (no second avatar, name or time), ms. */
const GROUP_MS = 300_000;
/** The replay's parts, shown as the chat's own (`::part(messages)` styles both logs). */
const REPLAY_PARTS = 'header, messages, chapters, chapter, question, answer, reactions, error';

/**
 * Live chat of a stream, with viewer count. Needs `client` and `stream-id`,
 * or a `store` (a core `ChatStore`) to share one with other components.
 *
 * The list is virtualised (only rows in view are rendered), so it stays
 * smooth with 10,000 messages; it follows new messages unless the reader
 * scrolled up. Each message shows its author's picture (or initials) and
 * how long ago it was sent (the exact time on hover); an author's messages
 * within five minutes of the first group under one name. Channel emotes
 * (`:code:`) render as images, `@mentions` are highlighted. Moderators get a per-message menu (pin, delete, time out,
 * ban) and can type commands such as `/slow 30`.
 *
 * With `replay`, it shows a recording's chat instead, played back with it
 * (messages, questions, reactions and chapters at the moment they happened,
 * as `<onair-chat-replay>`): give it the media playing the recording with
 * `for` (an `<onair-player>`'s id) or `media`, and import
 * `@onair/elements/chat-replay` too (React apps as well; without a bundler
 * `dist/cdn/chat-replay.js`), which defines it: pages without replays do not
 * carry its code. No live chat is joined while
 * it replays; the replay loads the channel's emotes itself unless `emotes`
 * is given.
 *
 * @event onair-chat-sent - A message was accepted by the server. Detail: {@link ChatSentDetail}.
 * @event onair-chat-error - Sending failed. Detail: {@link ChatErrorDetail}.
 * @csspart header - Title and viewer count.
 * @csspart pinned - The pinned message banner.
 * @csspart messages - The message list.
 * @csspart message - A message's row (`data-id`; `data-mention` when it mentions the viewer).
 * @csspart menu - A message's ⋯ button, opening its moderation actions (`can-moderate`).
 * @csspart avatar - A message author's picture or initials.
 * @csspart form - The composer.
 * @csspart picker - The emote picker.
 * @csspart replay - The replayed chat (`replay`), an `<onair-chat-replay>`; its `header`, `messages`, `chapters`, `chapter`, `question`, `answer`, `reactions` and `error` are the chat's parts too.
 * @cssproperty --onair-chat-background - Background colour.
 * @cssproperty --onair-chat-foreground - Text colour.
 * @cssproperty --onair-chat-muted - Secondary text colour.
 * @cssproperty --onair-chat-accent - Author names and send button.
 * @cssproperty --onair-chat-mention - Background of a mention of the viewer.
 * @cssproperty --onair-chat-error - Error colour.
 * @cssproperty --onair-chat-height - Height of the element (default 480px).
 * @cssproperty --onair-chat-owner - The HOST badge's background, under white text (`#e5193b`).
 * @cssproperty --onair-chat-moderator - The MOD badge's background, under white text (`#197b43`).
 */
export class OnAirChatElement extends OnAirElement {
  static override styles = [avatarStyles, chatStyles];
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
    readonly: { type: Boolean, reflect: true },
    canModerate: { type: Boolean, attribute: 'can-moderate' },
    viewerName: { type: String, attribute: 'viewer-name' },
    emotes: { attribute: false },
    replay: { type: Boolean, reflect: true },
    for: { type: String },
    media: { attribute: false },
  };

  /** Stream whose chat to show. */
  declare streamId: string | undefined;
  /** A chat store to use instead of creating one from `client` and `stream-id`. */
  declare store: ChatStoreLike | undefined;
  /** Hide the composer. */
  declare readonly: boolean;
  /**
   * Show moderation actions (delete, pin, time out, ban). Set it for the
   * channel's owner and moderators; the server checks again and refuses others.
   */
  declare canModerate: boolean;
  /** The viewer's display name: mentions of it are highlighted. */
  declare viewerName: string | undefined;
  /** The channel's emotes. Default: loaded from the stream's channel through `client`. */
  declare emotes: readonly Emote[] | undefined;
  /**
   * Show the recording's chat played back with it (the media of `for` or
   * `media`) instead of the live chat. Set it when the stream plays as a
   * recording (`<onair-player>`'s `data-phase="replay"`).
   */
  declare replay: boolean;
  /**
   * With `replay`: the id of the `<onair-player>` or `<video>` playing the
   * recording, in the chat's document or shadow root.
   */
  declare for: string | undefined;
  /** With `replay`: the media element playing the recording (wins over `for`). */
  declare media: HTMLMediaElement | undefined;

  readonly #state = new StoreController<ChatState, ChatStoreLike>(this);
  #sendError: OnAirError | null = null;
  readonly #rows = new VirtualWindow();
  /** Pinned to the newest message (null scroll position) or at a scroll offset. */
  #listOffset: number | null = null;
  #viewport = 400;
  #loadedEmotes: readonly Emote[] = [];
  #emoteChannel: string | undefined;
  #pickerOpen = false;
  #tick: ReturnType<typeof setInterval> | undefined;
  /** Re-renders every 30 s: how long ago each message was sent. */
  #ages: ReturnType<typeof setInterval> | undefined;
  #unseen = 0;
  #lastCount = 0;

  constructor() {
    super();
    this.readonly = false;
    this.canModerate = false;
    this.replay = false;
    // Escape closes an open message menu (focus back on its button) or the picker.
    this.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      const open = this.renderRoot.querySelector<HTMLDetailsElement>('details.menu[open]');
      if (open) {
        open.open = false;
        open.querySelector('summary')?.focus();
      } else if (this.#pickerOpen) {
        this.#pickerOpen = false;
        this.renderRoot.querySelector<HTMLButtonElement>('.picker-toggle')?.focus();
        this.requestUpdate();
      }
    });
  }

  get #activeStore(): ChatStoreLike | undefined {
    return this.#state.current;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const live = () =>
      this.client && this.streamId
        ? new ChatStore(this.client, this.streamId, { maxMessages: 10_000 })
        : undefined;
    // A replay joins no live chat: the store is let go of, and made again when live (where the
    // list starts afresh, following the newest).
    if (changed.has('replay') && changed.get('replay') !== this.replay) {
      this.#state.setStore(this.replay ? undefined : (this.store ?? live()));
      this.#listOffset = null;
      this.#unseen = this.#lastCount = 0;
    } else if (!this.replay) this.#state.follow(changed, this.store, live);
    const owner = this.#state.value?.stream?.owner.id;
    if (!this.emotes && this.client && owner && owner !== this.#emoteChannel) {
      this.#emoteChannel = owner;
      this.client.channels.get(owner).then(
        (channel) => {
          this.#loadedEmotes = channel.emotes;
          this.requestUpdate();
        },
        () => undefined,
      );
    }
    const count = this.#state.value?.messages.length ?? 0;
    if (this.#listOffset !== null && count > this.#lastCount)
      this.#unseen += count - this.#lastCount;
    this.#lastCount = count;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ages = setInterval(() => this.requestUpdate(), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#tick);
    clearInterval(this.#ages);
    this.#tick = undefined;
  }

  protected override updated(): void {
    const s = this.#state.value;
    this.dataset.status = s?.status ?? 'idle';
    if (s?.restricted) this.dataset.restricted = s.restricted.kind;
    else delete this.dataset.restricted;
    const list = this.renderRoot.querySelector('ol');
    if (!list) return;
    this.#viewport = list.clientHeight || this.#viewport;
    let remeasure = false;
    for (const row of list.querySelectorAll<HTMLElement>('li[data-id]')) {
      if (this.#rows.measure(row.dataset.id as string, row.offsetHeight)) remeasure = true;
    }
    if (this.#listOffset === null) list.scrollTop = list.scrollHeight;
    if (remeasure) this.requestUpdate();
    // Slow-mode countdown: re-render every second while waiting.
    const waiting = (s?.cooldownUntil ?? 0) > Date.now();
    if (waiting && !this.#tick) this.#tick = setInterval(() => this.requestUpdate(), 1000);
    if (!waiting && this.#tick) {
      clearInterval(this.#tick);
      this.#tick = undefined;
    }
  }

  #onScroll(event: Event): void {
    const list = event.currentTarget as HTMLElement;
    const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const next = atEnd ? null : list.scrollTop;
    if (next === this.#listOffset) return;
    this.#listOffset = next;
    if (atEnd) this.#unseen = 0;
    this.requestUpdate();
  }

  #jumpToLatest(): void {
    this.#listOffset = null;
    this.#unseen = 0;
    this.requestUpdate();
  }

  #badgeLabel(badge: ChatBadge): string {
    return badgeLabel((key, vars) => this.t(key, vars), badge);
  }

  async #moderate(action: () => Promise<void> | undefined): Promise<void> {
    this.#sendError = null;
    try {
      await action();
    } catch (error) {
      this.#sendError = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  #insert(token: string): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="text"]');
    if (!input) return;
    const at = input.selectionStart ?? input.value.length;
    const before = input.value.slice(0, at);
    const spacer = before && !before.endsWith(' ') ? ' ' : '';
    input.value = `${before}${spacer}${token} ${input.value.slice(at)}`;
    input.focus();
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('text') as HTMLInputElement;
    const text = input.value;
    if (!text.trim() || !this.#activeStore) return;
    input.value = '';
    this.#sendError = null;
    this.#pickerOpen = false;
    this.#listOffset = null;
    try {
      const message = await this.#activeStore.send(text);
      if (message) this.emit('onair-chat-sent', { message });
    } catch (error) {
      this.#sendError = OnAirError.from(error);
      this.emit('onair-chat-error', { error: this.#sendError });
    }
    this.requestUpdate();
  }

  #renderMessage(m: ChatEntry, emotes: ReadonlyMap<string, Emote>, grouped: boolean) {
    const mine = mentions(m.text, this.viewerName);
    return html`<li part="message" data-delivery=${m.delivery} data-id=${m.id} ?data-mention=${mine} ?data-grouped=${grouped}>
      ${
        // First, floated to the line's end: it never wraps under a long message.
        this.canModerate && m.delivery === 'sent'
          ? html`<details class="menu">
              <summary part="menu" aria-label=${this.t('messageActions', { author: m.author.displayName })}>⋯</summary>
              <span role="group" aria-label=${this.t('messageActions', { author: m.author.displayName })}>
                <button class="link" data-action="pin" @click=${() => this.#moderate(() => this.#activeStore?.pin?.(m.id))}>${this.t('pin')}</button>
                <button class="link" data-action="delete" @click=${() => this.#moderate(() => this.#activeStore?.delete?.(m.id))}>${this.t('deleteMessage')}</button>
                ${
                  m.author.badges.includes('owner')
                    ? nothing
                    : html`<button class="link" data-action="timeout" @click=${() => this.#moderate(() => this.#activeStore?.timeout?.(m.author.id, MENU_TIMEOUT_SECONDS))}>${this.t('timeoutUser')}</button>
                      <button class="link" data-action="ban" @click=${() => this.#moderate(() => this.#activeStore?.ban?.(m.author.id))}>${this.t('banUser')}</button>`
                }
              </span>
            </details>`
          : nothing
      }
      ${
        // Grouped under the author's previous message; or being sent (no author yet).
        grouped || !m.author.displayName
          ? html`<span class="visually-hidden">${m.author.displayName}</span>`
          : html`${renderAvatar(m.author)}${m.author.badges.map(
              (badge) =>
                html`<span class="badge" data-badge=${badge} title=${this.#badgeLabel(badge)} aria-label=${this.#badgeLabel(badge)}>${BADGE_SYMBOLS[badge]}</span>`,
            )}<span class="author">${m.author.displayName}</span>${renderTime(this, m.createdAt)}`
      }
      <span class="text">${renderChatText(m.text, emotes, this.viewerName)}</span>
      ${mine ? html`<span class="visually-hidden">${this.t('mention')}</span>` : nothing}
      ${m.delivery === 'pending' ? html` <small>${this.t('sending')}</small>` : nothing}
      ${
        m.delivery === 'failed'
          ? html` <small>${this.t('failed')}</small>
              <button @click=${() => this.#activeStore?.dismiss(m.id)}>${this.t('retry')}</button>`
          : nothing
      }
    </li>`;
  }

  #renderComposer(s: ChatState | undefined, emotes: readonly Emote[]) {
    if (this.readonly) return nothing;
    const status = s?.stream?.status;
    if (status === 'ended' || status === 'cancelled') {
      return html`<p class="closed" role="status">${this.t('chatClosed')}</p>`;
    }
    const restriction = renderRestriction(this, s?.restricted);
    if (restriction !== nothing) return restriction;
    const wait = Math.ceil(((s?.cooldownUntil ?? 0) - Date.now()) / 1000);
    return html`
      ${
        this.#pickerOpen
          ? renderPicker(
              (key, vars) => this.t(key, vars),
              emotes,
              (token) => this.#insert(token),
            )
          : nothing
      }
      ${wait > 0 ? html`<p class="cooldown" role="status" data-seconds=${wait}>${this.t('slowModeWait', { seconds: wait })}</p>` : nothing}
      <form part="form" @submit=${this.#onSubmit}>
        <button
          type="button"
          class="picker-toggle"
          aria-label=${this.t('emotes')}
          aria-expanded=${this.#pickerOpen ? 'true' : 'false'}
          @click=${() => {
            this.#pickerOpen = !this.#pickerOpen;
            this.requestUpdate();
          }}
        >☺</button>
        <input
          name="text"
          autocomplete="off"
          maxlength="500"
          aria-label=${this.t('chatPlaceholder')}
          placeholder=${this.t('chatPlaceholder')}
        />
        <button type="submit" ?disabled=${wait > 0}>${this.t('send')}</button>
      </form>
    `;
  }

  /** The recording's chat, in an `<onair-chat-replay>` (upgraded once its entry is imported). */
  #renderReplay() {
    return html`<onair-chat-replay
      part="replay"
      exportparts=${REPLAY_PARTS}
      lang=${languageOf(this)}
      .client=${this.client}
      .streamId=${this.streamId}
      .for=${this.for}
      .media=${this.media}
      .emotes=${this.emotes}
      .theme=${this.theme}
    ></onair-chat-replay>`;
  }

  override render() {
    if (this.replay) return this.#renderReplay();
    const s = this.#state.value;
    const messages = s?.messages ?? [];
    const error = this.#sendError ?? (s?.status === 'error' ? s.error : null);
    const emoteList = this.emotes ?? this.#loadedEmotes;
    const emotes = new Map(emoteList.map((e) => [e.code, e]));
    const ids = messages.map((m) => m.id);
    this.#rows.retain(ids);
    const range = this.#rows.range(ids, this.#listOffset, this.#viewport);
    const visible = messages.slice(range.start, range.end);
    // A row joins the one before (same author) within five minutes of its group's first, whose
    // time it shows: a long run does not hang under one old time. Counted from where the first
    // row's group surely starts: its author's run, or a pause of five minutes in it.
    const grouped = new Set<string>();
    let from = range.start;
    const at = (i: number) => Date.parse(messages[i]?.createdAt ?? '');
    while (
      from &&
      messages[from - 1]?.author.id === visible[0]?.author.id &&
      at(from) - at(from - 1) < GROUP_MS
    ) {
      from--;
    }
    let head: ChatEntry | undefined;
    for (const m of messages.slice(from, range.end)) {
      if (
        head?.author.id === m.author.id &&
        Date.parse(m.createdAt) - Date.parse(head.createdAt) < GROUP_MS
      ) {
        grouped.add(m.id);
      } else head = m;
    }
    return html`
      <header role="none" part="header">
        ${this.t('chat')}
        <span aria-live="polite">${this.t('viewers', { count: s?.viewerCount ?? 0 })}</span>
      </header>
      ${
        s?.pinned
          ? html`<div part="pinned" class="pinned" role="note" aria-label=${this.t('pinned')}>
              <strong>${this.t('pinned')}</strong>
              <span class="author">${s.pinned.author.displayName}</span>
              <span class="text">${renderChatText(s.pinned.text, emotes, this.viewerName)}</span>
              ${
                this.canModerate
                  ? html`<button class="link" @click=${() => this.#moderate(() => this.#activeStore?.pin?.(null))}>${this.t('unpin')}</button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      <ol part="messages" aria-label=${this.t('chat')} tabindex="0" data-count=${messages.length} @scroll=${this.#onScroll}>
        ${
          s?.hasOlder && range.start === 0
            ? html`<li class="older"><button class="link" ?disabled=${s.loadingOlder} @click=${() => this.#activeStore?.loadOlder?.()}>${this.t('loadEarlier')}</button></li>`
            : nothing
        }
        ${messages.length === 0 ? html`<li class="empty">${this.t('noMessages')}</li>` : nothing}
        <li class="spacer" aria-hidden="true" style="height:${range.padTop}px"></li>
        ${repeat(
          visible,
          (m) => m.id,
          (m) => this.#renderMessage(m, emotes, grouped.has(m.id)),
        )}
        <li class="spacer" aria-hidden="true" style="height:${range.padBottom}px"></li>
      </ol>
      ${
        this.#listOffset !== null && this.#unseen > 0
          ? html`<button class="jump" @click=${this.#jumpToLatest}>${this.t('jumpToLatest')} (${this.#unseen})</button>`
          : nothing
      }
      <div class="live visually-hidden" aria-live="polite">${messages.at(-1)?.delivery === 'sent' ? `${messages.at(-1)?.author.displayName}: ${messages.at(-1)?.text}` : ''}</div>
      ${s?.notices.length ? html`<p class="notice" role="status">${s.notices.at(-1)}</p>` : nothing}
      ${error ? html`<div class="error" role="alert" data-code=${error.code}>${error.message}</div>` : nothing}
      ${this.#renderComposer(s, emoteList)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-chat': OnAirChatElement;
  }
}

/** Registers `<onair-chat>`. */
export function defineChat(): void {
  defineElement('onair-chat', OnAirChatElement);
}
