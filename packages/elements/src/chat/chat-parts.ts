import type { Emote, Restricted, UserSummary } from '@onair/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import { formatAgo, formatDateTime, type MessageKey, translateMain } from '../internal/i18n.js';
import { PICKER_EMOJI } from './chat-text.js';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The emote and emoji picker: `insert` gets `:code:` or the emoji. */
export function renderPicker(t: T, emotes: readonly Emote[], insert: (token: string) => void) {
  return html`<div part="picker" class="picker" role="group" aria-label=${t('emotes')}>
    ${emotes.map(
      (e) =>
        html`<button type="button" aria-label=${t('insertEmote', { emote: `:${e.code}:` })} @click=${() => insert(`:${e.code}:`)}><img src=${e.url} alt="" width="24" height="24" /></button>`,
    )}
    ${PICKER_EMOJI.map(
      (emoji) =>
        html`<button type="button" aria-label=${t('insertEmote', { emote: emoji })} @click=${() => insert(emoji)}>${emoji}</button>`,
    )}
  </div>`;
}

/**
 * A message author's picture (the `picture` claim of their token) over
 * their initials on a colour of their own: the initials show while it loads,
 * when it fails, and for users without one. Decorative: the name follows.
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

/** When a message was sent: how long ago, the date and time on hover. */
export function renderTime(host: HTMLElement, iso: string) {
  return html`<time datetime=${iso} title=${formatDateTime(host, iso)}>${formatAgo(host, iso)}</time>`;
}

/** Why the viewer cannot chat (banned, or timed out until a time), or nothing. */
export function renderRestriction(
  host: HTMLElement,
  restricted: Restricted | null | undefined,
): TemplateResult | typeof nothing {
  const t: T = (key, vars) => translateMain(host, key, vars);
  if (restricted?.kind === 'ban') {
    return html`<p class="restricted" role="status">${t('banned')}</p>`;
  }
  if (
    restricted?.kind === 'timeout' &&
    restricted.until &&
    Date.parse(restricted.until) > Date.now()
  ) {
    return html`<p class="restricted" role="status">${t('timedOut', { time: formatDateTime(host, restricted.until) })}</p>`;
  }
  return nothing;
}
