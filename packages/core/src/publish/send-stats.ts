import { kit } from './engine-kit.js';
import type { MediaSender } from './sender.js';
import type { PublisherStats } from './stats.js';

/**
 * Reads a session's senders every second and turns their byte counters into
 * bitrates (each reading against the one before; the first sets the baseline).
 */
export class SendStats {
  #timer: ReturnType<typeof setInterval> | undefined;
  #last: { video: number; audio: number; at: number } | undefined;
  readonly #sender: () => MediaSender | undefined;
  readonly #report: (stats: PublisherStats) => void;

  constructor(sender: () => MediaSender | undefined, report: (stats: PublisherStats) => void) {
    this.#sender = sender;
    this.#report = report;
  }

  /** Starts reading, from a new baseline. */
  start(): void {
    clearInterval(this.#timer);
    this.#last = undefined;
    this.#timer = setInterval(this.#read, 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  readonly #read = async (): Promise<void> => {
    const video = this.#sender()?.video;
    const audio = this.#sender()?.audio;
    if (!video && !audio) return;
    const [videoReport, audioReport] = await Promise.all([
      video?.stats().catch(() => undefined),
      audio?.stats().catch(() => undefined),
    ]);
    const { videoBytes, audioBytes, ...figures } = kit.summariseStats(videoReport, audioReport);
    const now = performance.now();
    const last = this.#last;
    this.#last = { video: videoBytes, audio: audioBytes, at: now };
    if (!last) return;
    const seconds = (now - last.at) / 1000;
    const bitrate = (bytes: number, before: number) =>
      Math.max(0, Math.round(((bytes - before) * 8) / seconds));
    this.#report({
      videoBitrate: bitrate(videoBytes, last.video),
      audioBitrate: bitrate(audioBytes, last.audio),
      ...figures,
    });
  };
}
