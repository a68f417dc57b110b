import type { StreamHealth } from '@onair/protocol';
import { handle } from '../../transport/realtime/request.js';
import { managersRoomOf } from '../../transport/realtime/rooms.js';
import type { OnAirIo, OnAirSocket } from '../../transport/realtime/types.js';
import type { StreamAccess } from '../streams/access.js';
import type { HealthRepository } from './repository.js';

/** What the health handlers need. */
export interface HealthHandlerDeps {
  reports: HealthRepository;
  access: StreamAccess;
}

/** Registers `stream:healthHistory` (the stream's managers and moderators). */
export function registerHealthHandlers(socket: OnAirSocket, deps: HealthHandlerDeps): void {
  handle(socket, 'stream:healthHistory', async ({ streamId }) => {
    await deps.access.moderated(socket, streamId);
    return { reports: await deps.reports.recent(streamId) };
  });
}

/**
 * Where the media plane's health reports go: to the stream's managers'
 * connections at once, and to storage (a failed write is logged).
 */
export function healthReporter(
  io: OnAirIo,
  reports: HealthRepository,
  log: (message: string) => void,
): (health: StreamHealth) => void {
  return (health) => {
    io.to(managersRoomOf(health.streamId)).emit('stream:health', health);
    reports.add(health).catch((error: unknown) => log(`health: ${String(error)}`));
  };
}
