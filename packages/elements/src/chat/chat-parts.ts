import type { Emote, Restricted } from '@onair/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import { formatDateTime, type MessageKey, translateMain } from '../internal/i18n.js';
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
