import { type OnAirClient, OnAirError } from '@onair/core';
import type { FollowerPage } from '@onair/protocol';
import { css, html, nothing, type PropertyValues } from 'lit';
import { translateOwn } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { panelStyles } from '../internal/panel.styles.js';
import { renderAvatar, renderTime } from '../internal/people.js';
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

const FIRST: FollowersView = { followers: [], cursor: null, loading: true, error: null };

/**
 * A channel's followers for its staff (the owner, its moderators, admins):
 * newest first, each with their picture (or initials), name and how long
 * ago they followed (the date and time on hover), a page at a time with
 * "Load more". Anyone else sees why they cannot ("Only the channel's owner
 * and moderators see its followers"). The host carries `data-status`:
 * `loading`, `ready` or `error`.
 *
 * @csspart header - The title.
 * @csspart list - The followers.
 * @csspart follower - One follower's row.
 * @csspart avatar - A follower's picture, over their initials.
 * @csspart name - A follower's name.
 * @csspart since - How long ago they followed.
 * @csspart more - The "Load more" button.
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
        display: grid;
        place-items: center;
        width: 28px;
        height: 28px;
        overflow: hidden;
        border-radius: 50%;
        color: #fff;
        font-size: 11px;
        font-weight: 700;
      }
      .avatar img {
        position: absolute;
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      [part='name'] {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      time,
      [part='empty'] {
        color: var(--onair-panel-muted);
        font-size: 12px;
      }
      [part='empty'],
      [part='error'] {
        margin: 0;
        padding: calc(var(--_s) * 3);
      }
      [part='error'] {
        color: var(--onair-panel-error);
      }
      [part='more'] {
        margin: 0 calc(var(--_s) * 2) calc(var(--_s) * 2);
      }
    `,
  ];
  static override properties = {
    channelId: { type: String, attribute: 'channel-id', reflect: true },
    pageSize: { type: Number, attribute: 'page-size' },
  };

  /** The channel whose followers to show (its owner's user id). */
  declare channelId: string | undefined;
  /** Followers per page (1 to 100). Default 20. */
  declare pageSize: number;

  #view: FollowersView = FIRST;
  /** Which load may still set the view: one for an earlier channel, client or page size may not. */
  #generation = 0;

  constructor() {
    super();
    this.pageSize = 20;
  }

  #text(key: FollowerMessageKey): string {
    return translateOwn(this, 'followers', key, FOLLOWER_MESSAGES, FOLLOWER_MESSAGES_ES);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('client') && !changed.has('channelId') && !changed.has('pageSize')) return;
    const generation = ++this.#generation;
    this.#view = FIRST;
    const { client, channelId } = this;
    if (client && channelId) void this.#load(client, channelId, generation, null);
  }

  protected override updated(): void {
    const { loading, error } = this.#view;
    this.dataset.status = loading ? 'loading' : error ? 'error' : 'ready';
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
        this.pageSize,
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

  /** Loads the next older page, if there is one and none is loading. */
  async loadMore(): Promise<void> {
    const { client, channelId } = this;
    const { cursor, loading } = this.#view;
    if (!client || !channelId || !cursor || loading) return;
    await this.#load(client, channelId, this.#generation, cursor);
  }

  override render() {
    if (!this.client || !this.channelId) return nothing;
    const { followers, cursor, loading, error } = this.#view;
    const friendly = error && FRIENDLY[error.code];
    return html`
      <header part="header">${this.#text('title')}</header>
      ${
        followers.length
          ? html`<ul part="list" aria-busy=${loading ? 'true' : 'false'}>${followers.map(
              (f) =>
                html`<li part="follower">${renderAvatar(f.user)}<span part="name">${f.user.displayName}</span><span part="since">${renderTime(this, f.since)}</span></li>`,
            )}</ul>`
          : !loading && !error
            ? html`<p part="empty">${this.#text('empty')}</p>`
            : nothing
      }
      ${error ? html`<p part="error" role="alert" data-code=${error.code}>${friendly ? this.#text(friendly) : error.message}</p>` : nothing}
      ${cursor && !error ? html`<button part="more" class="link" type="button" aria-disabled=${loading ? 'true' : 'false'} @click=${this.loadMore}>${this.#text('more')}</button>` : nothing}
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
