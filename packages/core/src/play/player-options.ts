import type HlsType from 'hls.js';
import type { HlsConfig } from 'hls.js';
import type { LiveAbrRule } from '../abr/live-rule.js';

/** Options of `Player`. */
export interface PlayerOptions {
  /** Low-latency live tuning. Default true. */
  lowLatency?: boolean;
  /**
   * Seconds behind the live edge to aim for over HLS. Default: the server's
   * PART-HOLD-BACK in low-latency mode (1 s from OnAir's server: three
   * parts), its HOLD-BACK otherwise. The player speeds up to 1.1× to catch up.
   */
  targetLatency?: number;
  /**
   * How far behind the live edge (seconds) playback may resume after a stall
   * before the Player skips ahead to the live edge (`state.skippedToLive`),
   * as YouTube and Twitch do: after any stall over live HLS (latency piles
   * up over a string of short ones on a poor link), unless the viewer paused
   * or sought back into the DVR window and has not returned to the edge since;
   * never in a replay or in real-time mode. Default: three
   * times the target latency, at least 6 s. `0` or `Infinity` turns it off;
   * a negative number or NaN is a `BAD_REQUEST`.
   */
  maxLiveLatency?: number;
  /** Retries after a fatal network error before giving up. Default 20. */
  maxNetworkRetries?: number;
  /**
   * Who picks the HLS rendition: `'onair'` (default: {@link OnAirLiveAbr},
   * tuned for viewers near the live edge), `'hls.js'` (hls.js's own
   * controller), or a function making a {@link LiveAbrRule} of your own.
   * An `abrController` in `hlsConfig` overrides all three.
   */
  abr?: 'onair' | 'hls.js' | (() => LiveAbrRule);
  /**
   * Whether HLS requests carry Common Media Client Data (CTA-5004: buffer,
   * bitrate, session id) as a `CMCD` query parameter, for a CDN's logs. The
   * session id is the playback's (`PlayerLoad.sessionId`). Default `true`.
   * A `cmcd` in `hlsConfig` overrides it.
   */
  cmcd?: boolean;
  /** Extra hls.js configuration. */
  hlsConfig?: Partial<HlsConfig>;
  /** Loads hls.js; default: dynamic `import('hls.js')`, so pages that never play do not pay for it. */
  loadHls?: () => Promise<typeof HlsType>;
}
