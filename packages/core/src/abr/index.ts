/**
 * Adaptive bitrate for live streams: estimators, OnAir's live rule and its
 * hls.js adapter.
 * @packageDocumentation
 */
export {
  DualEwmaEstimator,
  type DualEwmaOptions,
  Ewma,
  HarmonicMeanPredictor,
  LiveSampler,
  type ThroughputSample,
} from './estimators.js';
export { type AbrControllerClass, createAbrController } from './hls-adapter.js';
export {
  catchUpRate,
  type LiveAbrRule,
  type LiveAbrState,
  type LiveDownload,
  type LiveProgress,
  OnAirLiveAbr,
  type OnAirLiveAbrOptions,
} from './live-rule.js';
