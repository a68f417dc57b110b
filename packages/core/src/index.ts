/**
 * `@onair/core`: the headless OnAir client.
 *
 * @example
 * ```ts
 * import { OnAirClient, ChatStore } from '@onair/core';
 * const client = new OnAirClient({ baseUrl: 'https://live.example.com', token: getToken });
 * const chat = new ChatStore(client, streamId);
 * chat.subscribe((state) => render(state.messages));
 * ```
 * @packageDocumentation
 */
export {
  type AbrControllerClass,
  catchUpRate,
  createAbrController,
  DualEwmaEstimator,
  type DualEwmaOptions,
  Ewma,
  HarmonicMeanPredictor,
  type LiveAbrRule,
  type LiveAbrState,
  type LiveDownload,
  LiveSampler,
  OnAirLiveAbr,
  type OnAirLiveAbrOptions,
  type ThroughputSample,
} from './abr/index.js';
export { ChannelsApi, channelKeys } from './channels.js';
export { type ChatEntry, type ChatState, ChatStore, type ChatStoreOptions } from './chat-store.js';
export { OnAirClient, type OnAirClientOptions } from './client.js';
export { OnAirError } from './errors.js';
export { type StreamHealthState, StreamHealthStore } from './health-store.js';
export { type MediaSignalling, realtimeSignalling } from './media-signalling.js';
export {
  PLAYER_IDLE_STATE,
  Player,
  type PlayerControls,
  type PlayerLevel,
  type PlayerOptions,
  type PlayerState,
  type PlayerStats,
  type PlayerStatus,
} from './player.js';
export { type PollState, PollStore } from './poll-store.js';
export { type PresenceState, PresenceStore } from './presence-store.js';
export {
  type CaptureDevice,
  mediaError,
  PUBLISHER_IDLE_STATE,
  Publisher,
  type PublisherControls,
  type PublisherOptions,
  type PublisherState,
  type PublisherStats,
  type PublisherStatus,
  QUALITY_PRESETS,
  type QualityName,
  type QualityPreset,
  summariseStats,
  videoEncodings,
} from './publisher.js';
export { type QueryState, QueryStore, type QueryStoreOptions } from './query-store.js';
export { type QuestionState, QuestionStore } from './question-store.js';
export {
  type ReactionBurstEntry,
  type ReactionState,
  ReactionStore,
  type ReactionStoreOptions,
} from './reaction-store.js';
export { REQUEST_TIMEOUT_MS, RealtimeConnection, type RoomLease } from './realtime.js';
export {
  RealtimeViewer,
  type RealtimeViewerOptions,
  type RealtimeViewerState,
  type RealtimeViewerStatus,
} from './realtime-viewer.js';
export { type RestRequest, RestTransport, resolveToken, type TokenProvider } from './rest.js';
export { RoomStore } from './room-store.js';
export {
  type StreamListOptions,
  type StreamListState,
  StreamListStore,
} from './stream-list-store.js';
export { StreamsApi, streamKeys } from './streams.js';
export { type Listener, Subscribable } from './subscribable.js';
