import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia } from '../../../../../scripts/validate-ll-hls.js';
import { colourAt, lastFrame } from '../../../test/frames.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { publishRtmp } from '../../../test/rtmp-publisher.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { publishEncoder, type WeriftPeer } from '../../../test/werift-peer.js';
import { gridTiles, speakerTiles, type Tile } from './layout.js';

/*
 * The stage as HLS viewers get it, against a real server: the owner (red)
 * and a co-host (lime) publish over ICE/DTLS/SRTP as browsers do; the HLS
 * picture, read over HTTP like any player's, shows both side by side, then
 * the speaker layout when the owner switches it, the co-host large while
 * they share a screen, the owner alone while the co-host's video stalls and
 * both again when it returns, and the owner alone once
 * the co-host is taken off the stage, in the same playlist; the recording
 * has all of it.
 */
const SIZE = { width: 640, height: 360 };

let server: TestServer;
const encoders: RtpTestSource[] = [];
const peers: WeriftPeer[] = [];
const rtmpEncoders: ChildProcess[] = [];

beforeAll(async () => {
  server = await startTestServer({
    media: {
      rtmpPort: 0,
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
  for (const encoder of rtmpEncoders) encoder.kill('SIGKILL');
  for (const encoder of encoders) encoder.stop();
  for (const peer of peers) await peer.close();
  await server?.close();
});

/** The stream's first variant as a player finds it: its playlist, and a reader of its files. */
async function variant(streamId: string) {
  const base = `${server.url}/hls/${streamId}`;
  const master = await (await fetch(`${base}/master.m3u8`)).text();
  const uri = master.split('\n').find((line) => line && !line.startsWith('#')) as string;
  const folder = `${base}/${uri.slice(0, uri.lastIndexOf('/'))}`;
  const playlist = await (await fetch(`${base}/${uri}`)).text();
  const bytes = async (file: string) =>
    Buffer.from(await (await fetch(`${folder}/${file}`)).arrayBuffer());
  return { playlist, bytes };
}

const mapUri = (line: string) => /URI="([^"]+)"/.exec(line)?.[1] as string;

/** Reads the stream's HLS as a player would: the newest complete segment's last frame. */
async function newestFrame(streamId: string) {
  const { playlist, bytes } = await variant(streamId);
  const lines = playlist.split('\n');
  const segment = lines.filter((line) => line && !line.startsWith('#')).at(-1) as string;
  const init = mapUri(lines.filter((line) => line.startsWith('#EXT-X-MAP')).at(-1) as string);
  return { frame: await lastFrame(await bytes(init), await bytes(segment), SIZE), playlist };
}

/** Every segment's last frame, in order, of the stream's recording. */
async function recordedFrames(streamId: string) {
  const { playlist, bytes } = await variant(streamId);
  const frames = [];
  let init: Buffer | undefined;
  for (const line of playlist.split('\n')) {
    if (line.startsWith('#EXT-X-MAP')) init = await bytes(mapUri(line));
    else if (line && !line.startsWith('#') && init) {
      frames.push(await lastFrame(init, await bytes(line), SIZE));
    }
  }
  return { frames, playlist };
}

/** Waits for the stream's HLS to be served. */
const hlsReady = (streamId: string) =>
  expect
    .poll(async () => (await fetch(`${server.url}/hls/${streamId}/master.m3u8`)).status, {
      timeout: 30_000,
    })
    .toBe(200);

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
    const streamId = await server.liveStream(owner.token, { recording: true });
    const member = `/v1/streams/${streamId}/stage/members/${cohost.userId}`;
    const invited = await server.request(member, {
      method: 'PUT',
      token: owner.token,
      json: { role: 'cohost' },
    });
    expect(invited.status).toBe(200);

    const published = [];
    for (const [i, token] of [owner.token, cohost.token].entries()) {
      const socket = await server.socket(token);
      await socket.emitWithAck('stream:join', { streamId });
      const { peer, producers, held } = await publishEncoder(
        socket,
        streamId,
        encoders[i] as RtpTestSource,
        (i + 1) * 1000,
      );
      peers.push(peer);
      published.push({ socket, producers, held });
    }
    await hlsReady(streamId);
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

    // The co-host shares a screen (their track replaced, the same producer): they take the
    // large tile, live; sharing stops and the speaker (the owner, first) comes back.
    type Published = (typeof published)[number];
    const [ownerSide, cohostSide] = published as [Published, Published];
    const { socket: sharer, producers } = cohostSide;
    const share = async (source: 'screen' | 'camera') =>
      sharer.emitWithAck('media:setSource', { producerId: producers.video, source });
    expect(await share('screen')).toEqual({ ok: true, data: {} });
    await expectPicture(streamId, [speaker.large, ...speaker.strip], ['lime', 'red', 'lime']);
    // Only a producer's own publisher says what it shows.
    expect(
      await ownerSide.socket.emitWithAck('media:setSource', {
        producerId: producers.video,
        source: 'camera',
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await share('camera')).toEqual({ ok: true, data: {} });
    await expectPicture(streamId, [speaker.large, ...speaker.strip], ['red', 'red', 'lime']);
    expect(discontinuities((await newestFrame(streamId)).playlist)).toBe(before);

    // The co-host's video stops while their producer stays (a frozen tab): the picture goes on
    // without it, the owner alone, and takes it back when it returns.
    cohostSide.held.add('video');
    const alone = [...gridTiles(2, SIZE), ...speaker.strip];
    await expectPicture(streamId, alone, ['red', 'red', 'red', 'red']);
    cohostSide.held.delete('video');
    await expectPicture(streamId, [speaker.large, ...speaker.strip], ['red', 'red', 'lime']);

    // Off the stage: the owner alone fills the picture, after a discontinuity.
    expect((await server.request(member, { method: 'DELETE', token: owner.token })).status).toBe(
      204,
    );
    await expectPicture(streamId, alone, ['red', 'red', 'red', 'red']);
    expect(discontinuities((await newestFrame(streamId)).playlist)).toBeGreaterThan(before);

    // The recording is the composed stream: its segments show the grid, the speaker layout
    // with the screen large, and the owner alone, in that order.
    await server.request(`/v1/streams/${streamId}/end`, { method: 'POST', token: owner.token });
    await expect
      .poll(async () => await (await server.request(`/v1/streams/${streamId}`)).json(), {
        timeout: 15_000,
      })
      .toMatchObject({ recordingUrl: `/hls/${streamId}/master.m3u8` });
    const recorded = await recordedFrames(streamId);
    validateLlHlsMedia(recorded.playlist, { live: false });
    const shows = (tiles: Tile[], colours: string[]) =>
      recorded.frames.findIndex((frame) =>
        tiles.every((t, i) => colourAt(frame, t) === colours[i]),
      );
    const pictures = [
      shows(gridTiles(2, SIZE), ['red', 'lime']),
      shows([speaker.large, ...speaker.strip], ['lime', 'red', 'lime']),
      recorded.frames.length -
        1 -
        [...recorded.frames]
          .reverse()
          .findIndex((frame) => alone.every((t) => colourAt(frame, t) === 'red')),
    ];
    expect(pictures.every((at) => at >= 0 && at < recorded.frames.length)).toBe(true);
    expect([...pictures].sort((a, b) => a - b)).toEqual(pictures);
  }, 180_000);

  it('composes a host who publishes over RTMP with a co-host who publishes from a browser', async () => {
    const owner = await server.token('Encoder host', { roles: ['broadcaster'] });
    const cohost = await server.token('Browser co-host');
    const created = await server.request('/v1/streams', {
      method: 'POST',
      token: owner.token,
      json: { title: 'Encoder and guest' },
    });
    const { stream, streamKey } = (await created.json()) as {
      stream: { id: string };
      streamKey: string;
    };
    const streamId = stream.id;
    // The encoder (red) takes the stream live.
    rtmpEncoders.push(
      publishRtmp(`${server.rtmpUrl}/${streamKey}`, { seconds: 120, pattern: 'color=c=red' }),
    );
    await expect
      .poll(async () => await (await server.request(`/v1/streams/${streamId}`)).json(), {
        timeout: 20_000,
      })
      .toMatchObject({ status: 'live' });
    const member = `/v1/streams/${streamId}/stage/members/${cohost.userId}`;
    await server.request(member, { method: 'PUT', token: owner.token, json: { role: 'cohost' } });
    const socket = await server.socket(cohost.token);
    await socket.emitWithAck('stream:join', { streamId });
    const { peer } = await publishEncoder(socket, streamId, encoders[1] as RtpTestSource, 5000);
    peers.push(peer);

    await hlsReady(streamId);
    await expectPicture(streamId, gridTiles(2, SIZE), ['red', 'lime']);
    // The co-host goes: the encoder alone again.
    await server.request(member, { method: 'DELETE', token: owner.token });
    await expectPicture(streamId, gridTiles(2, SIZE), ['red', 'red']);
  }, 120_000);
});
