import { OnAirError } from '@onair/core';
import type { NotifyLevel } from '@onair/protocol';
import { css, html, nothing, type PropertyValues } from 'lit';
import { type MessageKey, translate } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';

const LEVELS: Array<[NotifyLevel, MessageKey]> = [
  ['all', 'notifyAll'],
  ['live', 'notifyLiveOnly'],
  ['none', 'notifyNone'],
];

/**
 * Follows or unfollows a channel, with the follower count, and once
 * following, what to be told about it: every stream it schedules and each
 * go-live, go-lives only (the default), or nothing. Needs a signed-in `client`.
 *
 * @event onair-follow-change - The caller followed or unfollowed. Detail: `{ channelId, following }`.
 * @csspart button - The follow button.
 * @csspart level - The notification level picker.
 * @cssproperty --onair-follow-accent - The follow button's colour.
 */
export class OnAirFollowButtonElement extends OnAirElement {
  static override styles = css`
    :host {
      --onair-follow-accent: var(--_brand);
      font: 14px/1.4 var(--_font);
    }
    [part='button'] {
      font: inherit;
      font-weight: 600;
      border-radius: 1em;
      padding: 0.3em 0.9em;
      cursor: pointer;
      border: 1px solid var(--onair-follow-accent);
      background: var(--onair-follow-accent);
      color: var(--_on-brand);
    }
    [aria-pressed='true'] {
      background: none;
      color: var(--onair-follow-accent);
    }
    label,
    span {
      margin-inline-start: 0.5em;
      font-size: 12px;
    }
  `;
  static override properties = {
    channelId: { type: String, attribute: 'channel-id', reflect: true },
  };

  /** The channel to follow (its owner's user id). */
  declare channelId: string | undefined;

  private following: boolean | null = null;
  private followers = 0;
  private level: NotifyLevel = 'live';
  private error: OnAirError | null = null;

  protected override t(key: MessageKey, vars?: Record<string, string | number>): string {
    return translate(this, key, vars);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('channelId') || changed.has('client')) void this.load();
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.error = null;
    try {
      await action();
    } catch (error) {
      this.error = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  private load(): Promise<void> {
    const { client, channelId } = this;
    if (!client || !channelId) return Promise.resolve();
    return this.run(async () => {
      const channel = await client.channels.get(channelId);
      this.following = channel.following;
      this.followers = channel.followerCount;
      if (channel.following) this.level = await client.notifications.level(channelId);
    });
  }

  private toggle(): Promise<void> {
    const { client, channelId } = this;
    if (!client || !channelId) return Promise.resolve();
    return this.run(async () => {
      const state = await client.channels.setFollowing(channelId, !this.following);
      this.following = state.following;
      this.followers = state.followerCount;
      this.level = 'live';
      this.emit('onair-follow-change', { channelId, following: state.following });
    });
  }

  private choose(event: Event): Promise<void> {
    const { client, channelId } = this;
    const level = (event.target as HTMLSelectElement).value as NotifyLevel;
    if (!client || !channelId) return Promise.resolve();
    return this.run(async () => {
      this.level = (await client.notifications.setLevel(channelId, level)).level;
    });
  }

  override render() {
    if (this.following === null) {
      return this.error ? html`<span role="alert">${this.error.message}</span>` : nothing;
    }
    return html`
      <button part="button" aria-pressed=${this.following ? 'true' : 'false'} @click=${this.toggle}>${this.t(this.following ? 'unfollow' : 'follow')} · ${this.followers}</button>
      ${
        this.following
          ? html`<label>${this.t('notifyLevel')} <select part="level" @change=${this.choose}>${LEVELS.map(([value, key]) => html`<option value=${value} ?selected=${this.level === value}>${this.t(key)}</option>`)}</select></label>`
          : nothing
      }
      ${this.error ? html`<span role="alert">${this.error.message}</span>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-follow-button': OnAirFollowButtonElement;
  }
}

/** Registers `<onair-follow-button>`. */
export function defineFollowButton(): void {
  defineElement('onair-follow-button', OnAirFollowButtonElement);
}
