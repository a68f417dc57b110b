import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The level of a microphone, so whoever is about to speak sees it hears
 * them: the peak of its last 512 samples on a 60 dB scale (0 for -60 dBFS
 * and below, 1 for full scale), ten times a second. The element re-renders when the level moves. {@link MicMeter.follow} the track
 * the element shows; none stops the meter, and so does the element leaving
 * the page (it starts again when the element next follows a track).
 */
export class MicMeter implements ReactiveController {
  /** The last level, 0–1; 0 when metering nothing. */
  level = 0;
  #host: ReactiveControllerHost;
  #track: MediaStreamTrack | undefined;
  #stop: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Meters `track` from now on (none: nothing); the same track again changes nothing. */
  follow(track: MediaStreamTrack | undefined): void {
    if (track === this.#track) return;
    this.#stop?.();
    this.#stop = undefined;
    this.#track = track;
    this.level = 0;
    if (!track || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      // On a 60 dB scale, as audio meters read: -60 dBFS and below is empty, 0 dBFS full.
      const level = Math.max(0, Math.min(1, 1 + Math.log10(peak) / 3));
      if (Math.abs(level - this.level) > 0.02) {
        this.level = level;
        this.#host.requestUpdate();
      }
    }, 100);
    this.#stop = () => {
      clearInterval(timer);
      void context.close();
    };
  }

  hostDisconnected(): void {
    this.follow(undefined);
  }
}
