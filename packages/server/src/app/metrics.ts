import { countsAsViewer } from '../domains/presence/handlers.js';
import type { SfuRouter } from '../media/sfu/router.js';
import type { ViewerEngine } from '../platform/metrics.js';
import { localViewers } from '../transport/realtime/rooms.js';
import type { OnAirIo } from '../transport/realtime/types.js';

/** Owners of the SFU transports of WHEP sessions start so (`media/egress/whep/routes.ts`). */
const WHEP_OWNER = 'whep:';

/**
 * This server's viewers by engine, read when `/metrics` is scraped:
 * `realtime`, the SFU's receive transports of realtime connections;
 * `whep`, those of WHEP sessions; `hls`, the connections that joined a
 * stream's room as viewers (presence) without a receive transport of that
 * stream. HLS is plain HTTP, so a player without a realtime connection (a
 * stock HLS player, one behind a CDN) is not counted.
 */
export function viewersByEngine(
  io: OnAirIo,
  router: Pick<SfuRouter, 'receivers'> | undefined,
): Record<ViewerEngine, number> {
  const counts: Record<ViewerEngine, number> = { hls: 0, realtime: 0, whep: 0 };
  // `streamId socketId` of each connection that receives a stream in real time.
  const receiving = new Set<string>();
  for (const { streamId, owner } of router?.receivers() ?? []) {
    if (owner.startsWith(WHEP_OWNER)) {
      counts.whep++;
    } else {
      counts.realtime++;
      receiving.add(`${streamId} ${owner}`);
    }
  }
  for (const [streamId, sockets] of localViewers(io)) {
    for (const socket of sockets) {
      if (countsAsViewer(socket, streamId) && !receiving.has(`${streamId} ${socket.id}`)) {
        counts.hls++;
      }
    }
  }
  return counts;
}
