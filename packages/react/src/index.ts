/**
 * `@onair/react`: OnAir for React.
 *
 * @example
 * ```tsx
 * import { OnAirProvider, OnAirPlayer, useStreamChat } from '@onair/react';
 * ```
 * @packageDocumentation
 */
export { OnAirBroadcaster, OnAirChat, OnAirPlayer } from './components.js';
export { OnAirProvider, type OnAirProviderProps, useOnAirClient } from './provider.js';
export { type UsePlayerResult, usePlayer } from './use-player.js';
export { type StreamChat, useStreamChat } from './use-stream-chat.js';
