import type { ChatBadge, Emote } from '@onair/protocol';
import { html, type TemplateResult } from 'lit';
import type { MessageKey } from '../internal/i18n.js';

const TOKEN = /(:[A-Za-z0-9_]{2,25}:|@[\p{L}\p{N}_.-]{1,64})/u;

/**
 * Renders chat text with the channel's emotes as images and @mentions
 * highlighted (`mine` when it names the viewer). Text stays text: nothing is
 * parsed as HTML.
 */
export function renderChatText(
  text: string,
  emotes: ReadonlyMap<string, Emote>,
  viewerName: string | undefined,
): Array<string | TemplateResult> {
  const me = viewerName?.toLowerCase().replace(/\s+/g, '');
  return text.split(TOKEN).map((part, i) => {
    // split with one capture group: odd indexes are tokens.
    if (i % 2 === 0) return part;
    if (part.startsWith(':')) {
      const emote = emotes.get(part.slice(1, -1));
      return emote
        ? html`<img class="emote" src=${emote.url} alt=${part} title=${part} width="24" height="24" loading="lazy" />`
        : part;
    }
    const mine = me !== undefined && part.slice(1).toLowerCase() === me;
    return html`<mark class="mention" ?data-mine=${mine}>${part}</mark>`;
  });
}

/** Whether `text` mentions the viewer. */
export function mentions(text: string, viewerName: string | undefined): boolean {
  if (!viewerName) return false;
  const me = `@${viewerName.toLowerCase().replace(/\s+/g, '')}`;
  return text
    .toLowerCase()
    .split(/\s+/)
    .some((word) => word.replace(/[^\p{L}\p{N}_.@-]/gu, '') === me);
}

/** Emoji offered by the picker besides the channel's emotes. */
export const PICKER_EMOJI = ['👍', '❤️', '😂', '🎉', '🔥', '👏', '😮', '😢', '🙏', '💯'];

/** What a chat badge shows; its label for screen readers is {@link badgeLabel}'s. */
export const BADGE_SYMBOLS: Readonly<Record<ChatBadge, string>> = {
  owner: 'HOST',
  moderator: 'MOD',
  admin: 'ADMIN',
  'subscriber-1': 'SUB',
  'subscriber-2': 'SUB2',
  'subscriber-3': 'SUB3',
};

/** A chat badge's label ("Streamer", "Subscriber (tier 2)") through the element's `t`. */
export function badgeLabel(
  t: (key: MessageKey, vars?: Record<string, string | number>) => string,
  badge: ChatBadge,
): string {
  if (badge.startsWith('subscriber-')) return t('badgeSubscriber', { tier: badge.slice(11) });
  return t(
    badge === 'owner' ? 'badgeOwner' : badge === 'moderator' ? 'badgeModerator' : 'badgeAdmin',
  );
}
