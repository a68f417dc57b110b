/**
 * `@onair/react`: OnAir for React.
 *
 * @example
 * ```tsx
 * import { OnAirProvider, OnAirPlayer, useStreamChat } from '@onair/react';
 * ```
 * @packageDocumentation
 */
export {
  OnAirBroadcaster,
  OnAirChat,
  OnAirPlayer,
  OnAirPoll,
  OnAirQna,
  OnAirReactions,
  OnAirScheduler,
  OnAirStats,
  OnAirStreamCard,
  OnAirStreamList,
  OnAirStreamSettings,
  OnAirViewerCount,
} from './components.js';
export { OnAirProvider, type OnAirProviderProps, useOnAirClient } from './provider.js';
export { type UseFollowResult, useChannel, useFollow } from './use-channel.js';
export {
  type Moderation,
  type StreamPoll,
  type StreamQuestions,
  type StreamReactions,
  type StreamViewers,
  useModeration,
  usePoll,
  useQuestions,
  useStreamReactions,
  useViewerCount,
} from './use-interaction.js';
export {
  type UseLiveStreamResult,
  type UseStreamViewerOptions,
  type UseStreamViewerResult,
  useLiveStream,
  useMediaDevices,
  useStreamViewer,
} from './use-live-stream.js';
export { type UsePlayerResult, usePlayer } from './use-player.js';
export { type StreamChat, useStreamChat } from './use-stream-chat.js';
export {
  type ActionState,
  type UseCreateStreamResult,
  type UseStreamActionsResult,
  type UseStreamsResult,
  useCreateStream,
  useStream,
  useStreamActions,
  useStreams,
} from './use-streams.js';
