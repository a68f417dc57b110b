import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { type StreamHealth, StreamHealthSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia, validateMaster } from '../../../../../../scripts/validate-ll-hls.js';
import { startTestServer, type TestServer } from '../../../../test/harness.js';
import { publishRtmp } from '../../../../test/rtmp-publisher.js';

/*
 * RTMP ingest with a real server and ffmpeg as the encoder (what OBS does):
 * the key is the stream name, a scheduled stream goes live on publish, the
 * LL-HLS ladder follows, and wrong keys, rotated keys and garbage are refused.
 */
let server: TestServer;
let owner: { token: string; userId: string };
const encoders: ChildProcess[] = [];

beforeAll(async () => {
  server = await startTestServer({
    media: { rtmpPort: 0, ladder: ['240p'], reconnectGraceSeconds: 5 },
  });
  owner = await server.token('Encoder owner', { roles: ['broadcaster'] });
}, 60_000);
afterAll(async () => {
  for (const encoder of encoders) encoder.kill('SIGKILL');
  await server?.close();
});

/** ffmpeg publishing a 640×360 test pattern and tone over RTMP, keyframe every 2 s. */
function publish(
  url: string,
  seconds = 60,
  size?: { width: number; height: number },
): ChildProcess {
  const encoder = publishRtmp(url, { seconds, audioKbps: 96, ...size });
  encoders.push(encoder);
  return encoder;
}

const exited = (encoder: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (encoder.exitCode !== null) resolve(encoder.exitCode);
    else encoder.once('exit', (code) => resolve(code));
  });

async function createStream(
  privacy = 'public',
  fields: Record<string, unknown> = {},
): Promise<{ id: string; streamKey: string }> {
  const response = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title: 'From the encoder', recording: true, privacy, ...fields },
  });
  const body = (await response.json()) as { stream: { id: string }; streamKey: string };
  return { id: body.stream.id, streamKey: body.streamKey };
}

const get = async (path: string) => {
  const response = await server.request(path);
  return { status: response.status, text: await response.text() };
};

/** The stream's master playlist once it is served (its renditions have segments), validated. */
async function servedMaster(id: string) {
  await expect
    .poll(async () => (await get(`/hls/${id}/master.m3u8`)).status, {
      timeout: 30_000,
      interval: 500,
    })
    .toBe(200);
  return validateMaster((await get(`/hls/${id}/master.m3u8`)).text);
}

/** A raw TCP connection that has done the plain RTMP handshake (C0 C1, S0 S1 S2, C2). */
async function handshaken(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(8), randomBytes(1528)]));
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received < 1 + 2 * 1536) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed during the handshake')));
  });
  socket.write(randomBytes(1536));
  return socket;
}

/** A chunk with a type-0 header (basic header, timestamp 0, length, type, message stream 1). */
function chunk0(chunkStreamId: number, length: number, type: number, payload: Buffer): Buffer {
  const basic =
    chunkStreamId < 64 ? Buffer.from([chunkStreamId]) : Buffer.from([0, chunkStreamId - 64]);
  const header = Buffer.alloc(11);
  header.writeUIntBE(length, 3, 3);
  header[6] = type;
  header.writeUInt32LE(1, 7);
  return Buffer.concat([basic, header, payload]);
}

/** AMF0 for `connect(1, { app: 'live', tcUrl })`: answered by the server (window size, result). */
function connectCommand(): Buffer {
  const string = (value: string) => {
    const buffer = Buffer.alloc(2 + value.length);
    buffer.writeUInt16BE(value.length);
    buffer.write(value, 2);
    return buffer;
  };
  const number = Buffer.alloc(9);
  number.writeDoubleBE(1, 1);
  const body = Buffer.concat([
    Buffer.from([2]),
    string('connect'),
    number,
    Buffer.from([3]),
    string('app'),
    Buffer.from([2]),
    string('live'),
    string('tcUrl'),
    Buffer.from([2]),
    string('rtmp://127.0.0.1/live'),
    Buffer.from([0, 0, 9]),
  ]);
  return chunk0(3, body.length, 20, body);
}

describe('RTMP ingest: limits before the key is checked', () => {
  it('closes a connection whose chunk headers declare 16 MiB messages, allocating nothing for them', async () => {
    const port = Number(new URL(server.rtmpUrl?.replace('rtmp:', 'http:') ?? '').port);
    const socket = await handshaken(port);
    const before = process.memoryUsage().arrayBuffers;
    // 100 video messages of 16 MiB - 1 declared, each with its first 128-byte chunk only,
    // then a connect command the server answers if it is still reading.
    const headers = Array.from({ length: 100 }, (_, i) =>
      chunk0(4 + i, 0xffffff, 9, Buffer.alloc(128, 1)),
    );
    const outcome = new Promise<'closed' | 'answered'>((resolve) => {
      socket.once('data', () => resolve('answered'));
      socket.once('close', () => resolve('closed'));
    });
    socket.write(Buffer.concat([...headers, connectCommand()]));
    const result = await outcome;
    const grown = process.memoryUsage().arrayBuffers - before;
    socket.destroy();
    // The declared sizes (1.6 GB) were never allocated.
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    expect(result).toBe('closed');
    expect((await get('/healthz')).status).toBe(200);
  });

  it('answers a connect command (the raw client speaks RTMP the server understands)', async () => {
    const port = Number(new URL(server.rtmpUrl?.replace('rtmp:', 'http:') ?? '').port);
    const socket = await handshaken(port);
    const outcome = new Promise<'closed' | 'answered'>((resolve) => {
      socket.once('data', () => resolve('answered'));
      socket.once('close', () => resolve('closed'));
    });
    socket.write(connectCommand());
    expect(await outcome).toBe('answered');
    socket.destroy();
  });
});

describe('RTMP ingest (ffmpeg as the encoder)', () => {
  it("caps the ladder at the stream's quality preset: a 480p encoder on a 360p stream", async () => {
    const { id, streamKey } = await createStream('public', { qualityPreset: '360p' });
    publish(`${server.rtmpUrl}/${streamKey}`, 30, { width: 854, height: 480 });
    const master = await servedMaster(id);
    // The top rung is encoded at 360p (not a copy of the 480p source), the presets below follow.
    expect(master.variants.map((v) => [v.uri, v.resolution?.height])).toEqual([
      ['360p/index.m3u8', 360],
      ['240p/index.m3u8', 240],
    ]);
    validateLlHlsMedia((await get(`/hls/${id}/360p/index.m3u8`)).text);
  }, 60_000);

  it('goes live on publish and packages the ladder as LL-HLS', async () => {
    expect(server.rtmpUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
    const { id, streamKey } = await createStream();
    const encoder = publish(`${server.rtmpUrl}/${streamKey}`);
    await expect
      .poll(async () => JSON.parse((await get(`/v1/streams/${id}`)).text).status, {
        timeout: 15_000,
      })
      .toBe('live');
    const master = await servedMaster(id);
    expect(master.variants.map((v) => [v.uri, v.codecs, v.resolution?.height])).toEqual([
      ['360p/index.m3u8', 'avc1.42c01e,mp4a.40.2', 360],
      ['240p/index.m3u8', 'avc1.4d4015,mp4a.40.2', 240],
    ]);
    for (const variant of master.variants) {
      validateLlHlsMedia((await get(`/hls/${id}/${variant.uri}`)).text);
    }

    // Health every 5 s to the owner (not to viewers), and kept.
    const ownerSocket = await server.socket(owner.token);
    const viewer = await server.socket((await server.token('A viewer')).token);
    const reports: StreamHealth[] = [];
    let viewerReports = 0;
    ownerSocket.on('stream:health', (report) => reports.push(report));
    viewer.on('stream:health', () => viewerReports++);
    expect((await ownerSocket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    expect((await viewer.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    await expect.poll(() => reports.length, { timeout: 15_000, interval: 250 }).toBeGreaterThan(0);
    const report = StreamHealthSchema.parse(reports[0]);
    expect(report).toMatchObject({
      streamId: id,
      ingest: 'rtmp',
      width: 640,
      height: 360,
      packetLoss: 0,
    });
    expect(report.bitrateKbps).toBeGreaterThan(300);
    expect(report.frameRate).toBeGreaterThan(25);
    expect(report.keyframeIntervalSeconds).toBeCloseTo(2, 0);
    expect(report.score).toBe(100);
    expect(viewerReports).toBe(0);
    const history = await ownerSocket.emitWithAck('stream:healthHistory', { streamId: id });
    expect(history.ok && history.data.reports.length).toBeGreaterThan(0);
    const refused = await viewer.emitWithAck('stream:healthHistory', { streamId: id });
    expect(refused.ok).toBe(false);

    // Rotating the key drops the encoder at once.
    await server.request(`/v1/streams/${id}/key`, { method: 'POST', token: owner.token });
    expect(
      await Promise.race([
        exited(encoder),
        new Promise((r) => setTimeout(() => r('still running'), 10_000)),
      ]),
    ).not.toBe('still running');
  }, 90_000);

  it('refuses a wrong key before accepting any media', async () => {
    const { id } = await createStream();
    const encoder = publish(`${server.rtmpUrl}/onair_sk_wrongwrongwrongwrongwr`, 10);
    let stderr = '';
    encoder.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exited(encoder)).not.toBe(0);
    expect(stderr).toMatch(/BadName|Unknown stream key|error/i);
    // The stream was not started and no HLS exists for it.
    expect(JSON.parse((await get(`/v1/streams/${id}`)).text).status).toBe('scheduled');
    expect((await get(`/hls/${id}/master.m3u8`)).status).toBe(404);
  }, 30_000);

  it('drops garbage and oversized unauthenticated input without harm', async () => {
    const port = Number(new URL(server.rtmpUrl?.replace('rtmp:', 'http:') ?? '').port);
    const garbage = [
      Buffer.concat([Buffer.from([3]), Buffer.alloc(200_000, 7)]), // RTMP version, then noise
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
    ];
    for (const payload of garbage) {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(payload));
        socket.on('error', () => undefined);
        socket.resume(); // read, so the server's close is seen
        socket.on('close', () => resolve(true));
        setTimeout(() => {
          socket.destroy();
          resolve(false);
        }, 5_000);
      });
      expect(closed, payload.subarray(0, 4).toString('hex')).toBe(true);
    }
    expect((await get('/healthz')).status).toBe(200);
  }, 30_000);

  it('signs the HLS of a private stream: every URI carries the token, nothing plays without it', async () => {
    const { id, streamKey } = await createStream('private');
    publish(`${server.rtmpUrl}/${streamKey}`, 30);
    await expect
      .poll(
        async () =>
          JSON.parse(
            await server.request(`/v1/streams/${id}`, { token: owner.token }).then((r) => r.text()),
          ).status,
        { timeout: 15_000 },
      )
      .toBe('live');
    const resource = (await (
      await server.request(`/v1/streams/${id}`, { token: owner.token })
    ).json()) as {
      hlsUrl: string;
    };
    expect(resource.hlsUrl).toMatch(
      new RegExp(`^/hls/${id}/master\\.m3u8\\?token=\\d+\\.\\d+\\.[vs]\\.[\\w-]+\\.[\\w-]+$`),
    );
    const token = resource.hlsUrl.split('?token=')[1] ?? '';
    await expect
      .poll(async () => (await get(resource.hlsUrl)).status, { timeout: 30_000, interval: 500 })
      .toBe(200);
    const unsigned = await get(`/hls/${id}/master.m3u8`);
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.text)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await get(`/hls/${id}/master.m3u8?token=1.forged`)).status).toBe(401);

    const master = validateMaster((await get(resource.hlsUrl)).text);
    for (const variant of master.variants) {
      expect(variant.uri).toContain(`?token=${token}`);
      const media = validateLlHlsMedia((await get(`/hls/${id}/${variant.uri}`)).text);
      const uris = media.segments.flatMap((s) => [s.uri, s.map?.uri, ...s.parts.map((p) => p.uri)]);
      for (const uri of uris.filter(Boolean)) expect(uri).toContain(`?token=${token}`);
      const segment = media.segments.find((s) => s.uri)?.uri ?? '';
      const base = `/hls/${id}/${variant.uri.split('/')[0]}`;
      expect((await server.request(`${base}/${segment}`)).status).toBe(200);
      expect((await server.request(`${base}/${segment.split('?')[0]}`)).status).toBe(401);
    }
  }, 90_000);

  it('keeps the stream live through a publisher drop within the grace period, and ends it after', async () => {
    const { id, streamKey } = await createStream();
    let encoder = publish(`${server.rtmpUrl}/${streamKey}`, 60);
    await expect
      .poll(async () => (await get(`/hls/${id}/master.m3u8`)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    const socket = await server.socket(owner.token);
    const states: Array<{ state: string; endsAt: string | null }> = [];
    socket.on('stream:publisher', (state) => states.push(state));
    expect((await socket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);

    // The encoder drops: viewers hear "reconnecting", the stream stays live.
    encoder.kill('SIGKILL');
    await expect.poll(() => states.at(-1)?.state, { timeout: 5_000 }).toBe('reconnecting');
    expect(Date.parse(states.at(-1)?.endsAt ?? '') - Date.now()).toBeGreaterThan(1_000);
    encoder = publish(`${server.rtmpUrl}/${streamKey}`, 60);
    await expect.poll(() => states.at(-1)?.state, { timeout: 10_000 }).toBe('connected');
    // The same playlists continue after a discontinuity (the tag itself, not
    // EXT-X-DISCONTINUITY-SEQUENCE, which every playlist has): the restarted ladder
    // has written media.
    await expect
      .poll(
        async () =>
          (await get(`/hls/${id}/360p/index.m3u8`)).text.includes('\n#EXT-X-DISCONTINUITY\n'),
        {
          timeout: 30_000,
          interval: 500,
        },
      )
      .toBe(true);
    validateLlHlsMedia((await get(`/hls/${id}/360p/index.m3u8`)).text);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(JSON.parse((await get(`/v1/streams/${id}`)).text).status).toBe('live');

    // Gone for longer than the grace period: the stream ends and its recording is kept.
    encoder.kill('SIGKILL');
    await expect
      .poll(async () => JSON.parse((await get(`/v1/streams/${id}`)).text).status, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe('ended');
    await expect
      .poll(async () => JSON.parse((await get(`/v1/streams/${id}`)).text).recordingUrl, {
        timeout: 15_000,
      })
      .toBe(`/hls/${id}/master.m3u8`);
    const vod = validateLlHlsMedia((await get(`/hls/${id}/360p/index.m3u8`)).text, { live: false });
    expect(vod.segments.some((s) => s.discontinuity)).toBe(true);
  }, 120_000);
});
