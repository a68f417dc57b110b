import { afterEach, describe, expect, it } from 'vitest';
import { OnAirError } from '../errors.js';
import { signedInClient } from '../transport/test-fixtures.js';
import { Publisher } from './publisher.js';

/*
 * The Publisher's WHIP sender against the real server's WHIP endpoint (any
 * WHIP server would do): one RTCPeerConnection, the offer POSTed with the
 * stream key as bearer, the session DELETEd at the end.
 */
const publishers: Publisher[] = [];
afterEach(() => {
  for (const p of publishers.splice(0)) p.destroy();
});

describe('Publisher over WHIP', () => {
  it('goes live through a WHIP endpoint, reports stats, and stops with DELETE', async () => {
    const client = await signedInClient('WHIP publisher');
    const { stream, streamKey } = await client.streams.create({ title: 'WHIP adapter' });
    const publisher = new Publisher(client, {
      streamId: stream.id,
      quality: '360p',
      whip: { url: `${location.origin}/whip`, token: streamKey },
    });
    publishers.push(publisher);
    await publisher.publish();
    expect(publisher.getSnapshot().status).toBe('live');
    // WHIP puts a scheduled stream live on publish.
    await expect.poll(async () => (await client.streams.get(stream.id)).status).toBe('live');
    await expect
      .poll(() => publisher.getSnapshot().stats?.videoBitrate ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(publisher.getSnapshot().stats?.height).toBe(360);
    await publisher.stop();
    expect(publisher.getSnapshot().status).toBe('ended');
  });

  it('fails with UNAUTHORIZED on a wrong stream key, without retrying', async () => {
    const client = await signedInClient('WHIP intruder');
    const { stream } = await client.streams.create({ title: 'WHIP refused' });
    const publisher = new Publisher(client, {
      streamId: stream.id,
      whip: { url: `${location.origin}/whip`, token: 'onair_sk_wrongwrongwrongwrongwrong' },
    });
    publishers.push(publisher);
    const error = await publisher.publish().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnAirError);
    expect((error as OnAirError).code).toBe('UNAUTHORIZED');
    expect(publisher.getSnapshot().status).toBe('failed');
  });
});
