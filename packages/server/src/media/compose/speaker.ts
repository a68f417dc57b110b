/** Options of {@link DominantSpeaker}. */
export interface DominantSpeakerOptions {
  /** How much recent audio a person's loudness is the mean of, ms. Default 1000. */
  windowMs?: number;
  /** How long someone must lead before they become the speaker, ms. Default 1000. */
  holdMs?: number;
  /** Least time between two changes of speaker, ms. Default 2500. */
  minIntervalMs?: number;
  /** Quieter than this (dBov) is silence. Default -50. */
  thresholdDbov?: number;
}

/**
 * Who is speaking, from the audio levels publishers send with their packets
 * (RFC 6464: the level in -dBov, 0 loudest, 127 silence): the person whose
 * mean loudness over the last second leads, once they have led for a second,
 * and no more often than every 2.5 s, so that the picture does not flicker
 * between two people talking over each other. Silence keeps the last
 * speaker.
 */
export class DominantSpeaker {
  private readonly levels = new Map<string, Array<{ at: number; amplitude: number }>>();
  private current: string | undefined;
  private leader: string | undefined;
  private leaderSince = 0;
  private changedAt = Number.NEGATIVE_INFINITY;
  private readonly windowMs: number;
  private readonly holdMs: number;
  private readonly minIntervalMs: number;
  private readonly threshold: number;

  constructor(options: DominantSpeakerOptions = {}) {
    this.windowMs = options.windowMs ?? 1000;
    this.holdMs = options.holdMs ?? 1000;
    this.minIntervalMs = options.minIntervalMs ?? 2500;
    this.threshold = 10 ** ((options.thresholdDbov ?? -50) / 20);
  }

  /** The speaker now, if anyone has spoken. */
  get speaker(): string | undefined {
    return this.current;
  }

  /** Records one packet's level (-dBov, 0–127) of `who`'s audio, heard at `now` ms. */
  hear(who: string, level: number, now: number): void {
    let heard = this.levels.get(who);
    if (!heard) {
      heard = [];
      this.levels.set(who, heard);
    }
    heard.push({ at: now, amplitude: 10 ** (-Math.min(127, Math.max(0, level)) / 20) });
    while (heard.length > 0 && (heard[0]?.at ?? now) < now - this.windowMs) heard.shift();
  }

  /** Forgets someone (they left). */
  forget(who: string): void {
    this.levels.delete(who);
    if (this.current === who) this.current = undefined;
    if (this.leader === who) this.leader = undefined;
  }

  /** Re-evaluates at `now` ms; returns the new speaker when it changed, else undefined. */
  update(now: number): string | undefined {
    let loudest: string | undefined;
    let loudness = this.threshold;
    for (const [who, heard] of this.levels) {
      const recent = heard.filter((h) => h.at >= now - this.windowMs);
      if (recent.length === 0) continue;
      const mean = recent.reduce((sum, h) => sum + h.amplitude, 0) / recent.length;
      if (mean > loudness) {
        loudness = mean;
        loudest = who;
      }
    }
    if (loudest !== this.leader) {
      this.leader = loudest;
      this.leaderSince = now;
    }
    if (
      loudest === undefined ||
      loudest === this.current ||
      now - this.leaderSince < this.holdMs ||
      now - this.changedAt < this.minIntervalMs
    ) {
      return undefined;
    }
    this.current = loudest;
    this.changedAt = now;
    return loudest;
  }
}
