import { afterEach, describe, expect, it } from 'vitest';
import { Publisher } from '../../publish/publisher.js';
import { signedInClient } from '../../transport/test-fixtures.js';
import { Player } from '../player.js';

/*
 * The Player's WHEP engine against the real server's WHEP endpoint (any WHEP
 * server would do), with a stream published through the SFU.
 */
const publishers: Publisher[] = [];
afterEach(() => {
  for (const p of publishers.splice(0)) p.destroy();
});

describe('Player over WHEP', () => {
  it('plays a live stream from a WHEP endpoint, and says why when there is nothing to play', async () => {
    const client = await signedInClient('WHEP host');
    const { stream } = await client.streams.create({ title: 'WHEP' });
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    const player = new Player(video);

    // Nothing published yet: a typed refusal (no fallback given).
    await player.loadWhep(`${location.origin}/whep/${stream.id}`);
    expect(player.getSnapshot().status).toBe('error');
    expect(player.getSnapshot().error?.code).toBe('STREAM_NOT_LIVE');

    await client.streams.start(stream.id);
    const publisher = new Publisher(client, { streamId: stream.id, quality: '360p' });
    publishers.push(publisher);
    await publisher.publish();
    await player.loadWhep(`${location.origin}/whep/${stream.id}`);
    await expect.poll(() => video.videoWidth, { timeout: 20_000 }).toBe(640);
    expect(player.getSnapshot()).toMatchObject({ mode: 'realtime', status: 'playing' });
    const tracks = (video.srcObject as MediaStream)
      .getTracks()
      .map((t) => t.kind)
      .sort();
    expect(tracks).toEqual(['audio', 'video']);
    await expect
      .poll(() => player.getSnapshot().stats?.bitrate ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    player.destroy();
    video.remove();
  });
});
