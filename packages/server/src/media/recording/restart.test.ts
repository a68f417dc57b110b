import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Stream,
  StreamSchema,
  WEBHOOK_EVENT_ID_HEADER,
  WebhookEventSchema,
} from '@onair/protocol';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { validateLlHlsMedia } from '../../../../../scripts/validate-ll-hls.js';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { spawnSourceWorker } from '../../../test/source-worker.js';
import { createServer, type OnAirServer, type ServerOptions } from '../../index.js';

/*
 * What a restart or a crash leaves of streams and recordings, with real
 * servers (PGlite in a data directory, or PostgreSQL with
 * ONAIR_TEST_DATABASE_URL) and ffmpeg publishing over RTMP: recordings live
 * under the data directory and are served after a restart; a stream left
 * live goes on when its publisher comes back within the grace period and
 * ends otherwise, its recording finished; a recording that cannot be written
 * is marked incomplete, the owner is told, and the stream goes on.
 */

const jwtSecret = randomBytes(32).toString('hex');
// Stream keys are HMACs under this secret: the same one across restarts, as in production.
const streamKeySecret = randomBytes(32).toString('hex');
const GRACE_SECONDS = 4;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data directory (and, under test:postgres, a database) shared by the servers of one test. */
async function storage(): Promise<{ dataDir: string; databaseUrl: string | undefined }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'onair-restart-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  const database = base ? await scratchDatabase(base) : undefined;
  if (database) cleanups.push(() => database.drop());
  return { dataDir, databaseUrl: database?.url };
}

function serverOptions(
  where: { dataDir: string; databaseUrl: string | undefined },
  extra: Partial<ServerOptions> = {},
): ServerOptions {
  return {
    jwtSecret,
    streamKeySecret,
    devAuth: true,
    logLevel: 'silent',
    restRateLimit: false,
    redisUrl: undefined,
    databaseUrl: where.databaseUrl,
    dataDir: where.dataDir,
    ...extra,
    media: { rtmpPort: 0, ladder: [], reconnectGraceSeconds: GRACE_SECONDS, ...extra.media },
  };
}

async function start(options: ServerOptions): Promise<OnAirServer> {
  const server = await createServer(options);
  cleanups.push(() => server.close());
  return server;
}

/** A server in a child process, to be killed with SIGKILL (a crash). */
async function startChild(options: ServerOptions): Promise<{
  url: string;
  rtmpUrl: string;
  process: ChildProcess;
}> {
  const child = spawnSourceWorker(new URL('../../../test/crash.worker.ts', import.meta.url), {
    // JSON leaves undefined out: the environment must not name another database or Redis.
    DATABASE_URL: options.databaseUrl ?? '',
    REDIS_URL: '',
    ONAIR_WORKER_OPTIONS: JSON.stringify(options),
  });
  cleanups.push(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    child.stdout?.once('data', (line: Buffer) =>
      resolve({ ...JSON.parse(line.toString()), process: child }),
    );
  });
}

/** ffmpeg publishing a small test pattern and tone over RTMP, a keyframe every second. */
function publish(rtmpUrl: string, streamKey: string): ChildProcess {
  const encoder = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', '120', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency'],
      ...['-pix_fmt', 'yuv420p', '-g', '30', '-b:v', '300k', '-c:a', 'aac', '-b:a', '64k'],
      ...['-f', 'flv', `${rtmpUrl}/${streamKey}`],
    ],
    { stdio: 'ignore' },
  );
  cleanups.push(() => encoder.kill('SIGKILL'));
  return encoder;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

async function devToken(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Teacher' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function createStream(url: string, token: string): Promise<{ id: string; key: string }> {
  const response = await fetch(`${url}/v1/streams`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Week 4', recording: true }),
  });
  const body = (await response.json()) as { stream: { id: string }; streamKey: string };
  return { id: body.stream.id, key: body.streamKey };
}

async function streamOf(url: string, id: string, token: string): Promise<Stream> {
  const response = await fetch(`${url}/v1/streams/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return StreamSchema.parse(await response.json());
}

const text = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
};

/** The URI of the first rendition in a master playlist. */
const firstRendition = (master: string) =>
  master.split('\n').find((line) => line.endsWith('index.m3u8')) ?? '';

/** Waits until the stream's live HLS has at least `count` segments; returns its rendition URI. */
async function segmentsLive(url: string, id: string, count: number): Promise<string> {
  await expect
    .poll(async () => (await text(`${url}/hls/${id}/master.m3u8`)).status, {
      timeout: 30_000,
      interval: 500,
    })
    .toBe(200);
  const rendition = firstRendition((await text(`${url}/hls/${id}/master.m3u8`)).body);
  await expect
    .poll(async () => segmentUris((await text(`${url}/hls/${id}/${rendition}`)).body).length, {
      timeout: 30_000,
      interval: 500,
    })
    .toBeGreaterThanOrEqual(count);
  return rendition;
}

const segmentUris = (playlist: string) =>
  playlist.split('\n').filter((line) => /^\d+\.m4s/.test(line));

describe('restarts and crashes', () => {
  it('keeps recordings in the data directory and serves them after a restart', async () => {
    const where = await storage();
    const first = await start(serverOptions(where));
    const token = await devToken(first.url);
    const { id, key } = await createStream(first.url, token);
    const encoder = publish(first.rtmpUrl ?? '', key);
    await segmentsLive(first.url, id, 2);
    await fetch(`${first.url}/v1/streams/${id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await exited(encoder);
    await expect
      .poll(async () => (await streamOf(first.url, id, token)).recordingUrl, { timeout: 15_000 })
      .toBe(`/hls/${id}/master.m3u8`);
    const rendition = firstRendition((await text(`${first.url}/hls/${id}/master.m3u8`)).body);
    const before = (await text(`${first.url}/hls/${id}/${rendition}`)).body;
    await first.close();

    const second = await start(serverOptions(where));
    const stream = await streamOf(second.url, id, token);
    expect(stream).toMatchObject({ status: 'ended', recordingUrl: `/hls/${id}/master.m3u8` });
    const master = await text(`${second.url}${stream.recordingUrl}`);
    expect(master.status).toBe(200);
    const after = await text(`${second.url}/hls/${id}/${rendition}`);
    expect(after.body).toBe(before);
    const vod = validateLlHlsMedia(after.body, { live: false });
    expect(vod.segments.length).toBeGreaterThanOrEqual(2);
    const segment = segmentUris(after.body)[0] ?? '';
    const base = `${second.url}/hls/${id}/${rendition.split('/')[0]}`;
    expect((await fetch(`${base}/${segment}`)).status).toBe(200);
    expect(stream.recordingIncomplete).toBe(false);
  }, 120_000);

  it('ends a stream a crashed server left live once the grace period passes, its recording finished', async () => {
    const where = await storage();
    const crashing = await startChild(serverOptions(where));
    const token = await devToken(crashing.url);
    const { id, key } = await createStream(crashing.url, token);
    const encoder = publish(crashing.rtmpUrl, key);
    const rendition = await segmentsLive(crashing.url, id, 3);
    // The recording's playlist grows on disk as segments are written.
    const onDisk = join(where.dataDir, 'media', id, rendition);
    await expect
      .poll(async () => segmentUris(await readFile(onDisk, 'utf8').catch(() => '')).length, {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(2);
    const written = segmentUris(await readFile(onDisk, 'utf8'));

    crashing.process.kill('SIGKILL');
    await exited(crashing.process);
    encoder.kill('SIGKILL');

    const restarted = await start(serverOptions(where));
    expect((await streamOf(restarted.url, id, token)).status).toBe('live');
    await expect
      .poll(async () => (await streamOf(restarted.url, id, token)).status, {
        timeout: (GRACE_SECONDS + 15) * 1000,
        interval: 500,
      })
      .toBe('ended');
    await expect
      .poll(async () => (await streamOf(restarted.url, id, token)).recordingUrl, {
        timeout: 15_000,
      })
      .toBe(`/hls/${id}/master.m3u8`);
    // Cut by a crash: the last seconds never reached the disk.
    expect((await streamOf(restarted.url, id, token)).recordingIncomplete).toBe(true);
    const master = await text(`${restarted.url}/hls/${id}/master.m3u8`);
    expect(master.status).toBe(200);
    expect(firstRendition(master.body)).toBe(rendition);
    const vod = await text(`${restarted.url}/hls/${id}/${rendition}`);
    expect(vod.body.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    validateLlHlsMedia(vod.body, { live: false });
    expect(segmentUris(vod.body).slice(0, written.length)).toEqual(written);
    const base = `${restarted.url}/hls/${id}/${rendition.split('/')[0]}`;
    for (const segment of segmentUris(vod.body)) {
      expect((await fetch(`${base}/${segment}`)).status).toBe(200);
    }
  }, 120_000);

  it('keeps a stream live when its publisher comes back within the grace period after a restart, the recording continued', async () => {
    const where = await storage();
    const first = await start(serverOptions(where));
    const token = await devToken(first.url);
    const { id, key } = await createStream(first.url, token);
    const encoder = publish(first.rtmpUrl ?? '', key);
    const rendition = await segmentsLive(first.url, id, 2);
    // Closed without ending the stream (a deploy): it stays live in the database.
    await first.close();
    await exited(encoder);
    const before = segmentUris(await readFile(join(where.dataDir, 'media', id, rendition), 'utf8'));
    expect(before.length).toBeGreaterThanOrEqual(2);

    const restartedAt = Date.now();
    const second = await start(serverOptions(where));
    publish(second.rtmpUrl ?? '', key);
    // The live playlist goes on from the segments made before the restart.
    await expect
      .poll(
        async () => {
          const live = (await text(`${second.url}/hls/${id}/${rendition}`)).body;
          return (
            segmentUris(live).length > before.length && live.includes('#EXT-X-DISCONTINUITY\n')
          );
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    // Past the grace period, the stream is still live.
    await new Promise((r) =>
      setTimeout(r, Math.max(0, restartedAt + (GRACE_SECONDS + 2) * 1000 - Date.now())),
    );
    expect((await streamOf(second.url, id, token)).status).toBe('live');

    await fetch(`${second.url}/v1/streams/${id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await expect
      .poll(async () => (await streamOf(second.url, id, token)).recordingUrl, { timeout: 15_000 })
      .toBe(`/hls/${id}/master.m3u8`);
    const vod = (await text(`${second.url}/hls/${id}/${rendition}`)).body;
    const parsed = validateLlHlsMedia(vod, { live: false });
    expect(parsed.segments.some((s) => s.discontinuity)).toBe(true);
    const after = segmentUris(vod);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeGreaterThan(before.length);
    const base = `${second.url}/hls/${id}/${rendition.split('/')[0]}`;
    for (const segment of [after[0], after.at(-1)]) {
      expect((await fetch(`${base}/${segment}`)).status).toBe(200);
    }
  }, 150_000);
});

describe('a recording that cannot be written', () => {
  it('is marked incomplete and the owner told, and the stream goes on', async () => {
    const where = await storage();
    const hooks: Array<{ type: string; id: string; header: string | undefined }> = [];
    const receiver: Server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const event = WebhookEventSchema.parse(JSON.parse(body));
        hooks.push({
          type: event.type,
          id: event.id,
          header: req.headers[WEBHOOK_EVENT_ID_HEADER] as string | undefined,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => receiver.close(resolve)));
    const { port } = receiver.address() as AddressInfo;
    const server = await start(
      serverOptions(where, {
        webhooks: [{ url: `http://127.0.0.1:${port}/hooks`, secret: 'whsec_0123456789abcdef' }],
        webhookRetry: { baseDelayMs: 100 },
      }),
    );
    const token = await devToken(server.url);
    const { id, key } = await createStream(server.url, token);
    publish(server.rtmpUrl ?? '', key);
    const rendition = await segmentsLive(server.url, id, 2);
    const owner = io(server.url, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
    });
    cleanups.push(() => owner.disconnect());
    const updates: Stream[] = [];
    owner.on('stream:updated', (stream: Stream) => updates.push(stream));
    const joined = (await owner.emitWithAck('stream:join', { streamId: id })) as { ok: boolean };
    expect(joined.ok).toBe(true);

    // The rendition's folder becomes a file: every later segment write fails (as on a full disk).
    const folder = join(where.dataDir, 'media', id, rendition.split('/')[0] ?? '');
    await rm(folder, { recursive: true, force: true });
    await writeFile(folder, 'not a folder');

    await expect
      .poll(() => updates.some((s) => s.id === id && s.recordingIncomplete === true), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(() => hooks.filter((h) => h.type === 'recording.incomplete').length, {
        timeout: 10_000,
      })
      .toBe(1);
    const told = hooks.find((h) => h.type === 'recording.incomplete');
    expect(told?.header).toBe(told?.id);

    // The server and the stream go on: the live playlist keeps growing from memory.
    const newest = async () => {
      const live = (await text(`${server.url}/hls/${id}/${rendition}`)).body;
      return Number((segmentUris(live).at(-1) ?? '0').split('.')[0]);
    };
    const now = await newest();
    await expect.poll(newest, { timeout: 15_000, interval: 500 }).toBeGreaterThan(now + 1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const live = await streamOf(server.url, id, token);
    expect(live).toMatchObject({ status: 'live', recordingIncomplete: true });

    await fetch(`${server.url}/v1/streams/${id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await expect
      .poll(async () => (await streamOf(server.url, id, token)).recordingUrl, { timeout: 15_000 })
      .toBe(`/hls/${id}/master.m3u8`);
    expect((await streamOf(server.url, id, token)).recordingIncomplete).toBe(true);
    // Told once, however many writes failed.
    expect(hooks.filter((h) => h.type === 'recording.incomplete')).toHaveLength(1);
  }, 120_000);
});
