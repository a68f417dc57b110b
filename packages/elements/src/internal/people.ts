import type { UserSummary } from '@onair/protocol';
import { css, html, nothing } from 'lit';
import { formatAgo, formatDateTime } from './i18n.js';

/**
 * A user's picture (the `picture` claim of their token) over their initials
 * on a colour of their own: the initials show while it loads, when it fails,
 * and for users without one. Decorative: the name follows (a chat message's
 * author, a follower).
 */
export function renderAvatar(author: UserSummary) {
  let hue = 0;
  // Ids a character apart (user_1, user_2) are 137° apart.
  for (const c of author.id) hue = (hue * 31 + c.charCodeAt(0) * 137) % 360;
  return html`<span part="avatar" class="avatar" style="background:hsl(${hue} 50% 30%)" aria-hidden="true">${author.displayName
    .replace(/(\S)\S*\s*/gu, '$1')
    .slice(0, 2)
    .toUpperCase()}${
    author.avatarUrl
      ? html`<img src=${author.avatarUrl} alt="" loading="lazy" referrerpolicy="no-referrer" />`
      : nothing
  }</span>`;
}

/**
 * The picture's looks shared by every list of people; each sets its own size
 * (`width`, `height`, `font-size`) and place (`position`).
 */
export const avatarStyles = css`
  .avatar {
    display: grid;
    place-items: center;
    overflow: hidden;
    border-radius: 50%;
    color: #fff;
    font-weight: 700;
  }
  .avatar img {
    position: absolute;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
`;

/** When something happened (a message sent, a follow): how long ago, the date and time on hover. */
export function renderTime(host: HTMLElement, iso: string) {
  return html`<time datetime=${iso} title=${formatDateTime(host, iso)}>${formatAgo(host, iso)}</time>`;
}
