import type { OnAirError } from '../errors.js';
import type {
  connectThrough,
  loadDevice,
  realtimeSignalling,
  transportOptions,
} from '../transport/media-signalling.js';
import type { SdpOverHttpSession } from '../transport/sdp-over-http.js';
import type { mediaError, QUALITY_PRESETS } from './capture.js';
import type { videoEncodings } from './sender.js';
import type { summariseStats } from './stats.js';

/**
 * What the publishing chunk (`publisher-engine.ts` and the modules only it
 * imports) uses of the modules the rest of the SDK shares, handed over by
 * the Publisher that loads it. The chunk imports none of them itself: a
 * bundler would otherwise split them into a third chunk that every page
 * loads, which compresses worse than the same code in the main one.
 */
export interface EngineKit {
  OnAirError: typeof OnAirError;
  mediaError: typeof mediaError;
  QUALITY_PRESETS: typeof QUALITY_PRESETS;
  realtimeSignalling: typeof realtimeSignalling;
  loadDevice: typeof loadDevice;
  connectThrough: typeof connectThrough;
  transportOptions: typeof transportOptions;
  videoEncodings: typeof videoEncodings;
  SdpOverHttpSession: typeof SdpOverHttpSession;
  summariseStats: typeof summariseStats;
}

/** The kit, filled in by the `PublisherEngine` constructor before any code of the chunk runs. */
export const kit = {} as EngineKit;
