import { languageOf, translateWith } from '../internal/i18n.js';
import { REPLAY_MESSAGES, REPLAY_MESSAGES_ES, type ReplayMessageKey } from './replay-messages.js';

/**
 * `key` of the replay strings in `element`'s language (its closest `lang`):
 * a registered `replay.<key>`, else the built-in Spanish for `es`, else English.
 */
export function translateReplay(
  element: Element,
  key: ReplayMessageKey,
  vars?: Record<string, string | number>,
): string {
  const spanish = languageOf(element).toLowerCase().split('-')[0] === 'es';
  return translateWith(
    element,
    `replay.${key}`,
    (spanish ? REPLAY_MESSAGES_ES : REPLAY_MESSAGES)[key],
    vars,
  );
}

/** A recording offset as the player shows it: `m:ss`, or `h:mm:ss` from an hour on. */
export function formatOffset(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
