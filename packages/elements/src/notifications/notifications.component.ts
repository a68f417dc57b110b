import { OnAirError } from '@onair/core';
import { type NotificationState, NotificationStore } from '@onair/core/notifications';
import type { Notification } from '@onair/protocol';
import { css, html, nothing, type PropertyValues } from 'lit';
import { formatDateTime, type MessageKey, translate } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';

/** What `<onair-notifications>` needs from a notification store (a core `NotificationStore` or a mock). */
export interface NotificationStoreLike {
  subscribe(listener: (state: NotificationState) => void): () => void;
  getSnapshot(): NotificationState;
  markRead(ids?: readonly string[]): Promise<void>;
  more(): Promise<void>;
}

const TEXT: Record<Notification['kind'], MessageKey> = {
  live: 'notifyLive',
  scheduled: 'notifyScheduled',
  reminder: 'notifyReminder',
};

/**
 * The signed-in user's notifications: a bell with the unread count that
 * opens the list (newest first, unread marked, "Mark all as read", older
 * pages). New notifications arrive live. Choosing one marks it read and
 * emits `onair-notification-open` for the host app to show the stream.
 *
 * @event onair-notification-open - A notification was chosen. Detail: `{ notification }`.
 * @csspart bell - The bell button.
 * @csspart badge - The unread count.
 * @csspart panel - The open list.
 * @cssproperty --onair-notifications-accent - The badge and unread marks.
 */
export class OnAirNotificationsElement extends OnAirElement {
  static override styles = css`
    :host {
      --onair-notifications-accent: #e5193b;
      position: relative;
      display: inline-block;
      font: 14px/1.4 var(--_font);
    }
    button {
      font: inherit;
      color: inherit;
      background: none;
      border: 0;
      cursor: pointer;
      text-align: start;
    }
    [part='bell'] {
      position: relative;
      padding: 0.3em 0 0;
      padding-inline-end: 0.6em;
      font-size: 18px;
    }
    [part='badge'] {
      position: absolute;
      top: 0;
      inset-inline-end: 0;
      padding: 0 0.3em;
      border-radius: 1em;
      background: var(--onair-notifications-accent);
      color: #fff;
      font-size: 11px;
    }
    [part='panel'] {
      position: absolute;
      inset-inline-end: 0;
      z-index: 10;
      width: min(22rem, 90vw);
      max-height: 24rem;
      overflow-y: auto;
      background: var(--_bg);
      color: var(--_fg);
      border: 1px solid var(--_line);
      border-radius: var(--_r);
    }
    header,
    li > * {
      display: flex;
      justify-content: space-between;
      flex-direction: column;
      box-sizing: border-box;
      width: 100%;
      padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
      border-top: 1px solid var(--_soft);
    }
    header {
      flex-direction: row;
      font-weight: 600;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [data-unread] button {
      box-shadow: inset 3px 0 var(--onair-notifications-accent);
      font-weight: 600;
    }
    small,
    .link {
      color: var(--_dim);
      font-size: 12px;
      font-weight: 400;
    }
  `;
  static override properties = {
    store: { attribute: false },
    open: { type: Boolean, reflect: true },
  };

  /** A notification store to use instead of creating one. */
  declare store: NotificationStoreLike | undefined;
  /** Whether the list is open. */
  declare open: boolean;

  readonly #state = new StoreController<NotificationState, NotificationStoreLike>(this);
  #error: OnAirError | null = null;

  constructor() {
    super();
    this.open = false;
  }

  protected override t(key: MessageKey, vars?: Record<string, string | number>): string {
    return translate(this, key, vars);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#state.follow(changed, this.store, () =>
      this.client ? new NotificationStore(this.client) : undefined,
    );
  }

  protected override updated(): void {
    this.dataset.unread = String(this.#state.value?.unread ?? 0);
  }

  async #run(action: () => Promise<unknown> | undefined): Promise<void> {
    this.#error = null;
    try {
      await action();
    } catch (error) {
      this.#error = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  #choose(notification: Notification): void {
    if (!notification.read) void this.#run(() => this.#state.current?.markRead([notification.id]));
    this.emit('onair-notification-open', { notification });
  }

  override render() {
    const s = this.#state.value;
    const unread = s?.unread ?? 0;
    return html`
      <button part="bell" aria-expanded=${this.open ? 'true' : 'false'} aria-label=${`${this.t('notifications')}, ${unread}`} @click=${() => {
        this.open = !this.open;
      }}>🔔${unread ? html`<span part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}</button>
      ${
        this.open
          ? html`<section part="panel" aria-label=${this.t('notifications')}>
            <header role="none">${this.t('notifications')}${unread ? html`<button class="link" @click=${() => this.#run(() => this.#state.current?.markRead())}>${this.t('notificationsMarkRead')}</button>` : nothing}</header>
            ${this.#error ? html`<small role="alert">${this.#error.message}</small>` : nothing}
            <ul>${
              s?.items.length
                ? s.items.map(
                    (n) =>
                      html`<li data-id=${n.id} ?data-unread=${!n.read}><button @click=${() => this.#choose(n)}>${this.t(TEXT[n.kind], { channel: n.stream.owner.displayName, title: n.stream.title })}<small>${formatDateTime(this, n.createdAt)}</small></button></li>`,
                  )
                : html`<li><small>${this.t('notificationsEmpty')}</small></li>`
            }</ul>
            ${s?.hasMore ? html`<button class="link" @click=${() => this.#run(() => this.#state.current?.more())}>${this.t('notificationsMore')}</button>` : nothing}
          </section>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-notifications': OnAirNotificationsElement;
  }
}

/** Registers `<onair-notifications>`. */
export function defineNotifications(): void {
  defineElement('onair-notifications', OnAirNotificationsElement);
}
