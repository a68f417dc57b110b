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
 * View analytics (tracking a Player, reading a stream's report) is in
 * `@onair/core/analytics`.
 *
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
  type LiveProgress,
  LiveSampler,
  OnAirLiveAbr,
  type OnAirLiveAbrOptions,
  type ThroughputSample,
} from './abr/index.js';
export { OnAirError } from './errors.js';
export { Player } from './play/player.js';
export type { PlayerOptions } from './play/player-options.js';
export {
  PLAYER_IDLE_STATE,
  type PlayerControls,
  type PlayerLevel,
  type PlayerLoad,
  type PlayerState,
  type PlayerStats,
  type PlayerStatus,
} from './play/player-state.js';
export {
  type RealtimeParticipant,
  RealtimeViewer,
  type RealtimeViewerOptions,
  type RealtimeViewerState,
  type RealtimeViewerStatus,
} from './play/realtime-viewer.js';
export {
  type StreamPhase,
  StreamSession,
  type StreamSessionOptions,
  type StreamSessionState,
} from './play/stream-session.js';
export {
  findStreamPlayback,
  playbackOf,
  playStream,
  type StreamPlayback,
  streamPosterUrl,
  type WatchOptions,
  watchStream,
} from './play/stream-viewer.js';
export { endStream, goLive } from './publish/broadcast.js';
export {
  type CaptureDevice,
  mediaError,
  QUALITY_PRESETS,
  type QualityName,
  type QualityPreset,
} from './publish/capture.js';
export { Publisher } from './publish/publisher.js';
export type { PublisherOptions } from './publish/publisher-options.js';
export {
  PUBLISHER_IDLE_STATE,
  type PublisherControls,
  type PublisherState,
  type PublisherStatus,
} from './publish/publisher-state.js';
export { videoEncodings } from './publish/sender.js';
export { type PublisherStats, summariseStats } from './publish/stats.js';
export {
  type ChatEntry,
  type ChatState,
  ChatStore,
  type ChatStoreOptions,
} from './stores/chat-store.js';
export { type StreamHealthState, StreamHealthStore } from './stores/health-store.js';
export { type PollState, PollStore } from './stores/poll-store.js';
export { type PresenceState, PresenceStore } from './stores/presence-store.js';
export { type QueryState, QueryStore, type QueryStoreOptions } from './stores/query-store.js';
export { type QuestionState, QuestionStore } from './stores/question-store.js';
export {
  type ReactionBurstEntry,
  type ReactionState,
  ReactionStore,
  type ReactionStoreOptions,
} from './stores/reaction-store.js';
export { RoomStore } from './stores/room-store.js';
export {
  type StreamListOptions,
  type StreamListState,
  StreamListStore,
} from './stores/stream-list-store.js';
export { type Listener, Subscribable } from './subscribable.js';
export { ChannelsApi, channelKeys } from './transport/channels.js';
export {
  type AnalyticsOptions,
  OnAirClient,
  type OnAirClientOptions,
} from './transport/client.js';
export { type MediaSignalling, realtimeSignalling } from './transport/media-signalling.js';
export {
  REQUEST_TIMEOUT_MS,
  RealtimeConnection,
  type RealtimeOptions,
  type RoomLease,
} from './transport/realtime.js';
export {
  type RestRequest,
  RestTransport,
  resolveToken,
  type TextResponse,
  type TokenProvider,
} from './transport/rest.js';
export { StreamsApi, streamKeys } from './transport/streams.js';
export { TokenCache, UNKNOWN_EXPIRY_TOKEN_MS } from './transport/token-cache.js';
