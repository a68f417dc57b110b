import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourAt, lastFrame } from '../../../test/frames.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { publishEncoder, type WeriftPeer } from '../../../test/werift-peer.js';
import { gridTiles, speakerTiles, type Tile } from './layout.js';

/*
 * The stage as HLS viewers get it, against a real server: the owner (red)
 * and a co-host (lime) publish over ICE/DTLS/SRTP as browsers do; the HLS
 * picture, read over HTTP like any player's, shows both side by side, then
 * the speaker layout when the owner switches it, and the owner alone once
 * the co-host is taken off the stage, in the same playlist.
 */
const SIZE = { width: 640, height: 360 };

let server: TestServer;
const encoders: RtpTestSource[] = [];
const peers: WeriftPeer[] = [];

beforeAll(async () => {
  server = await startTestServer({
    media: {
      rtmpPort: false,
      announcedAddresses: ['127.0.0.1'],
      ladder: [],
      hlsSegmentSeconds: 1,
      x264Preset: 'ultrafast',
    },
  });
  for (const colour of ['red', 'lime']) {
    const encoder = new RtpTestSource({
      ...SIZE,
      pattern: `color=c=${colour}`,
      keyframeSeconds: 1,
    });
    await encoder.start();
    encoders.push(encoder);
  }
}, 30_000);

afterAll(async () => {
  for (const encoder of encoders) encoder.stop();
  for (const peer of peers) await peer.close();
  await server?.close();
});

/** Reads the stream's HLS as a player would: the newest complete segment's last frame. */
async function newestFrame(streamId: string) {
  const base = `${server.url}/hls/${streamId}`;
  const master = await (await fetch(`${base}/master.m3u8`)).text();
  const variant = master.split('\n').find((line) => line && !line.startsWith('#')) as string;
  const folder = `${base}/${variant.slice(0, variant.lastIndexOf('/'))}`;
  const playlist = await (await fetch(`${base}/${variant}`)).text();
  const lines = playlist.split('\n');
  const segment = lines.filter((line) => line && !line.startsWith('#')).at(-1) as string;
  const map = lines.filter((line) => line.startsWith('#EXT-X-MAP')).at(-1) as string;
  const init = /URI="([^"]+)"/.exec(map)?.[1] as string;
  const bytes = async (uri: string) =>
    Buffer.from(await (await fetch(`${folder}/${uri}`)).arrayBuffer());
  return { frame: await lastFrame(await bytes(init), await bytes(segment), SIZE), playlist };
}

/** Discontinuities so far: those gone from the window (the sequence) and those in it. */
const discontinuities = (playlist: string) =>
  Number(/#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0) +
  playlist.split('\n').filter((line) => line === '#EXT-X-DISCONTINUITY').length;

/** Polls the stream's HLS until its picture shows `expected` in `tiles`. */
async function expectPicture(streamId: string, tiles: Tile[], expected: string[]) {
  let seen: Array<string | undefined> = [];
  for (let attempt = 0; attempt < 15; attempt++) {
    const { frame } = await newestFrame(streamId);
    seen = tiles.map((tile) => colourAt(frame, tile));
    if (seen.join() === expected.join()) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  expect(seen).toEqual(expected);
}

describe('the stage, composed for HLS', () => {
  it('shows owner and co-host in one picture, in the layout the owner picks, and drops the removed', async () => {
    const owner = await server.token('Host');
    const cohost = await server.token('Co-host');
    const streamId = await server.liveStream(owner.token);
    const member = `/v1/streams/${streamId}/stage/members/${cohost.userId}`;
    const invited = await server.request(member, {
      method: 'PUT',
      token: owner.token,
      json: { role: 'cohost' },
    });
    expect(invited.status).toBe(200);

    for (const [i, token] of [owner.token, cohost.token].entries()) {
      const socket = await server.socket(token);
      await socket.emitWithAck('stream:join', { streamId });
      const { peer } = await publishEncoder(
        socket,
        streamId,
        encoders[i] as RtpTestSource,
        (i + 1) * 1000,
      );
      peers.push(peer);
    }
    await expect
      .poll(async () => (await fetch(`${server.url}/hls/${streamId}/master.m3u8`)).status, {
        timeout: 30_000,
      })
      .toBe(200);
    await expectPicture(streamId, gridTiles(2, SIZE), ['red', 'lime']);

    // The owner picks the speaker layout: the same ffmpeg draws it, no discontinuity.
    const before = discontinuities((await newestFrame(streamId)).playlist);
    const layout = await server.request(`/v1/streams/${streamId}/stage`, {
      method: 'PATCH',
      token: owner.token,
      json: { layout: 'speaker' },
    });
    expect(layout.status).toBe(200);
    expect(await layout.json()).toMatchObject({ layout: 'speaker' });
    const speaker = speakerTiles(2, SIZE);
    await expectPicture(streamId, [speaker.large, ...speaker.strip], ['red', 'red', 'lime']);
    const { playlist } = await newestFrame(streamId);
    expect(discontinuities(playlist)).toBe(before);

    // Off the stage: the owner alone fills the picture, after a discontinuity.
    expect((await server.request(member, { method: 'DELETE', token: owner.token })).status).toBe(
      204,
    );
    await expectPicture(
      streamId,
      [...gridTiles(2, SIZE), ...speaker.strip],
      ['red', 'red', 'red', 'red'],
    );
    expect(discontinuities((await newestFrame(streamId)).playlist)).toBeGreaterThan(before);
  }, 120_000);
});
