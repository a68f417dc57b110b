import type { ReplayReaction } from '@onair/protocol';

/** How long one emoji rises, s: the length of the `rise` animation in `chat-replay.styles.ts`. */
const FLOAT_SECONDS = 2.4;
/** Most emoji of one kind rising at once: a busier minute floats every n-th, marked ×n. */
const MAX_PER_EMOJI = 8;

/** One emoji rising over the log. */
export interface FloatingReaction {
  /** Stable while it rises (the emoji, its minute and which of the minute's reactions it is). */
  key: string;
  emoji: string;
  /** Horizontal place, percent of the width. */
  left: number;
  /** Animation delay, s: negative, how long before its first render it had started rising. */
  delay: number;
  /** How many reactions it stands for. */
  every: number;
}

/**
 * The emoji rising at `time`: each minute's `count` reactions arrive evenly
 * over its `spanSeconds`, and each rises for {@link FLOAT_SECONDS} from its
 * arrival. `delays` keeps each emoji's delay from its first render (changing
 * it later would jump the running animation); entries no longer rising leave it.
 */
export function floatingReactions(
  reactions: readonly ReplayReaction[],
  time: number,
  delays: Map<string, number>,
): FloatingReaction[] {
  const floats: FloatingReaction[] = [];
  const rising = new Set<string>();
  for (const r of reactions) {
    const gap = r.spanSeconds / r.count;
    const every = Math.max(1, Math.ceil(FLOAT_SECONDS / gap / MAX_PER_EMOJI));
    // Reaction k arrives at offsetSeconds + (k + 0.5) * gap.
    const first = Math.max(0, Math.ceil((time - FLOAT_SECONDS - r.offsetSeconds) / gap - 0.5));
    const last = Math.min(r.count - 1, Math.floor((time - r.offsetSeconds) / gap - 0.5));
    const seed = r.emoji.codePointAt(0) ?? 0;
    for (let k = Math.ceil(first / every) * every; k <= last; k += every) {
      const key = `${r.emoji}|${r.offsetSeconds}|${k}`;
      let delay = delays.get(key);
      if (delay === undefined) {
        const arrived = r.offsetSeconds + (k + 0.5) * gap;
        delay = -Math.round((time - arrived) * 100) / 100;
        delays.set(key, delay);
      }
      rising.add(key);
      floats.push({ key, emoji: r.emoji, left: (k * 37 + seed) % 90, delay, every });
    }
  }
  for (const key of delays.keys()) if (!rising.has(key)) delays.delete(key);
  return floats;
}
