import { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import type { PublisherControls } from './publisher-state.js';

/**
 * Goes live: starts the stream if it is still scheduled, then publishes.
 * Rejects with the server's or the publisher's typed error (`FORBIDDEN`
 * for someone else's stream, `PERMISSION_DENIED` without a camera, ...).
 *
 * @example
 * ```ts
 * const publisher = new Publisher(client, { streamId });
 * await goLive(client, streamId, publisher);
 * // later
 * await endStream(client, streamId, publisher);
 * ```
 */
export async function goLive(
  client: OnAirClient,
  streamId: string,
  publisher: Pick<PublisherControls, 'publish'>,
): Promise<void> {
  const stream = await client.streams.get(streamId);
  if (stream.status === 'scheduled') await client.streams.start(streamId);
  await publisher.publish();
}

/**
 * Ends the stream for everyone: ends it on the server, then stops publishing
 * (releasing camera and microphone). So a publisher that reads `ended` has a
 * stream the server has ended too; if the server refuses (a lost network,
 * `FORBIDDEN`), the publisher is still live and the call can be tried again.
 * A stream that is no longer live (`CONFLICT`: ended elsewhere, or by a first
 * try whose answer was lost) only stops the publisher.
 *
 * @example
 * ```ts
 * await endStream(client, streamId, publisher);
 * ```
 */
export async function endStream(
  client: OnAirClient,
  streamId: string,
  publisher: Pick<PublisherControls, 'stop'>,
): Promise<void> {
  try {
    await client.streams.end(streamId);
  } catch (error) {
    if (!(error instanceof OnAirError && error.code === 'CONFLICT')) throw error;
  }
  await publisher.stop();
}
