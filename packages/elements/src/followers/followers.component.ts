import { type OnAirClient, OnAirError } from '@onair/core';
import type { FollowerPage } from '@onair/protocol';
import { css, html, nothing, type PropertyValues } from 'lit';
import { translateOwn } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { panelStyles } from '../internal/panel.styles.js';
import { avatarStyles, renderAvatar, renderTime } from '../internal/people.js';
import {
  FOLLOWER_MESSAGES,
  FOLLOWER_MESSAGES_ES,
  type FollowerMessageKey,
} from './follower-messages.js';

/** The errors a viewer can act on, in their words; any other shows the server's message. */
const FRIENDLY: Partial<Record<OnAirError['code'], FollowerMessageKey>> = {
  FORBIDDEN: 'forbidden',
  UNAUTHORIZED: 'signIn',
};

/** One follower: who, and since when. */
type Follower = FollowerPage['items'][number];

/** What the list knows: the followers loaded, where the next page starts, a load on its way, the last refusal. */
interface FollowersView {
  followers: readonly Follower[];
  cursor: string | null;
  loading: boolean;
  error: OnAirError | null;
}

const IDLE: FollowersView = { followers: [], cursor: null, loading: false, error: null };

/**
 * A channel's followers for its staff (the owner, its moderators, admins):
 * newest first, each with their picture (or initials), name and how long
 * ago they followed (the date and time on hover), a page at a time with
 * "Load more" (which tries again after a failure; "Try again" for the first
 * page). Anyone else sees why they cannot ("Only the channel's owner and
 * moderators see its followers"). The host carries `data-status`: `idle`
 * (no `client` or `channel-id`), `loading`, `ready` or `error`.
 *
 * @csspart header - The title.
 * @csspart list - The followers.
 * @csspart follower - One follower's row.
 * @csspart avatar - A follower's picture, over their initials.
 * @csspart name - A follower's name.
 * @csspart since - How long ago they followed.
 * @csspart more - The "Load more" button.
 * @csspart retry - "Try again", when the first page failed.
 * @csspart loading - Shown while the first page loads.
 * @csspart empty - Shown when the channel has no followers.
 * @csspart error - Why the followers could not be loaded.
 * @cssproperty --onair-panel-background - The card's background.
 * @cssproperty --onair-panel-foreground - Its text.
 * @cssproperty --onair-panel-muted - The times and the empty state.
 * @cssproperty --onair-panel-accent - The "Load more" link.
 * @cssproperty --onair-panel-error - The error.
 */
export class OnAirFollowersElement extends OnAirElement {
  static override styles = [
    panelStyles,
    avatarStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: var(--_s) 0;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: center;
        gap: calc(var(--_s) * 2);
        padding: var(--_s) calc(var(--_s) * 3);
      }
      .avatar {
        position: relative;
        width: 28px;
        height: 28px;
        font-size: 11px;
      }
      [part='name'] {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      time,
      [part='loading'],
      [part='empty'] {
        color: var(--onair-panel-muted);
        font-size: 12px;
      }
      [part='loading'],
      [part='empty'],
      [part='error'] {
        margin: 0;
        padding: calc(var(--_s) * 3);
      }
      [part='error'] {
        color: var(--onair-panel-error);
      }
      [part='more'],
      [part='retry'] {
        margin: 0 calc(var(--_s) * 2) calc(var(--_s) * 2);
      }
      [aria-disabled='true'] {
        opacity: 0.6;
        cursor: progress;
      }
      ul:focus-visible {
        outline: 2px solid var(--onair-panel-accent);
        outline-offset: -2px;
      }
    `,
  ];
  static override properties = {
    channelId: { type: String, attribute: 'channel-id', reflect: true },
    pageSize: { type: Number, attribute: 'page-size' },
  };

  /** The channel whose followers to show (its owner's user id). */
  declare channelId: string | undefined;
  /** Followers per page, 1 to 100 (more is 100; unset, none or unreadable, 20). Default 20. */
  declare pageSize: number;

  #view: FollowersView = IDLE;
  /** Which load may still set the view: one for an earlier channel, client or page size may not. */
  #generation = 0;
  /** Renders again each minute while connected: "2 min. ago" moves on. */
  #ages: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.pageSize = 20;
  }

  #text(key: FollowerMessageKey): string {
    return translateOwn(this, 'followers', key, FOLLOWER_MESSAGES, FOLLOWER_MESSAGES_ES);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ages = setInterval(() => this.requestUpdate(), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ages);
  }

  /** `pageSize` as the server takes it: a whole number from 1 to 100; 20 when unset or unreadable. */
  get #limit(): number {
    const size = Math.round(this.pageSize ?? Number.NaN);
    return size > 0 ? Math.min(100, size) : 20;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('client') && !changed.has('channelId') && !changed.has('pageSize')) return;
    ++this.#generation;
    this.#view = IDLE;
    void this.#reload();
  }

  protected override updated(): void {
    const { loading, error } = this.#view;
    this.dataset.status =
      !this.client || !this.channelId ? 'idle' : loading ? 'loading' : error ? 'error' : 'ready';
  }

  /** Loads the first page (again), unless one is loading. */
  async #reload(): Promise<void> {
    const { client, channelId } = this;
    if (client && channelId && !this.#view.loading) {
      await this.#load(client, channelId, this.#generation, null);
    }
  }

  async #load(
    client: OnAirClient,
    channelId: string,
    generation: number,
    cursor: string | null,
  ): Promise<void> {
    const set = (view: FollowersView) => {
      if (generation !== this.#generation) return;
      this.#view = view;
      this.requestUpdate();
    };
    set({ ...this.#view, loading: true, error: null });
    try {
      const page = await client.notifications.followers(
        channelId,
        this.#limit,
        cursor ?? undefined,
      );
      // Each follower once, whatever the pages hold (one who followed again between them).
      const known = new Set(this.#view.followers.map((f) => f.user.id));
      const added = page.items.filter((f) => !known.has(f.user.id));
      set({
        followers: [...this.#view.followers, ...added],
        cursor: page.nextCursor,
        loading: false,
        error: null,
      });
    } catch (error) {
      set({ ...this.#view, loading: false, error: OnAirError.from(error) });
    }
  }

  /**
   * Loads the next older page, if there is one and none is loading. The
   * keyboard focus on "Load more" moves to the list when the last page is in.
   */
  async loadMore(): Promise<void> {
    const { client, channelId } = this;
    const { cursor, loading } = this.#view;
    if (!client || !channelId || !cursor || loading) return;
    await this.#keepingFocus('more', () => this.#load(client, channelId, this.#generation, cursor));
  }

  /** "Try again": the first page, the focus kept on what follows it. */
  #retry(): Promise<void> {
    return this.#keepingFocus('retry', () => this.#reload());
  }

  /**
   * Runs `action`; where the button `part` had the focus and is gone once the list has rendered
   * (the last page is in, the list replaced it), the focus goes to the button drawn again, else
   * the list, the empty state or the error, unless another channel is shown or the focus is
   * elsewhere on the page.
   */
  async #keepingFocus(part: string, action: () => Promise<void>): Promise<void> {
    const generation = this.#generation;
    const button = this.shadowRoot?.activeElement;
    if (button?.getAttribute('part') !== part) return action();
    await action();
    await this.updateComplete;
    if (generation !== this.#generation || button.isConnected) return;
    if (document.activeElement !== document.body && document.activeElement !== null) return;
    for (const selector of [`[part="${part}"]`, 'ul', '[part="empty"]', '[part="error"]']) {
      const target = this.renderRoot.querySelector<HTMLElement>(selector);
      if (target) return target.focus();
    }
  }

  override render() {
    if (!this.client || !this.channelId) return nothing;
    const { followers, cursor, loading, error } = this.#view;
    const friendly = error && FRIENDLY[error.code];
    const busy = loading ? 'true' : 'false';
    return html`
      <header part="header" role="none" id="title">${this.#text('title')}</header>
      ${
        followers.length
          ? html`<ul part="list" aria-labelledby="title" aria-busy=${busy} tabindex="-1">${followers.map(
              (f) =>
                html`<li part="follower">${renderAvatar(f.user)}<span part="name">${f.user.displayName}</span><span part="since">${renderTime(this, f.since)}</span></li>`,
            )}</ul>`
          : loading
            ? html`<p part="loading" role="status">${this.#text('loading')}</p>`
            : error
              ? nothing
              : html`<p part="empty" tabindex="-1">${this.#text('empty')}</p>`
      }
      ${error ? html`<p part="error" role="alert" tabindex="-1" data-code=${error.code}>${friendly ? this.#text(friendly) : error.message}</p>` : nothing}
      ${
        cursor
          ? html`<button part="more" class="link" type="button" aria-disabled=${busy} @click=${this.loadMore}>${this.#text('more')}</button>`
          : error && !friendly && !followers.length
            ? html`<button part="retry" class="link" type="button" aria-disabled=${busy} @click=${this.#retry}>${this.#text('retry')}</button>`
            : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-followers': OnAirFollowersElement;
  }
}

/** Registers `<onair-followers>`. */
export function defineFollowers(): void {
  defineElement('onair-followers', OnAirFollowersElement);
}
