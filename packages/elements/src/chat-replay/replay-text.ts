import { translateOwn } from '../internal/i18n.js';
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
  return translateOwn(element, 'replay', key, REPLAY_MESSAGES, REPLAY_MESSAGES_ES, vars);
}
