import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnAirError } from '@onair/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia, validateMaster } from '../../../../../scripts/validate-ll-hls.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { RtpStreamSource } from '../sfu/rtp-source.js';
import { LADDER_PRESETS } from './ladder.js';
import { HlsPackager } from './packager.js';
import { registerHlsRoutes } from './routes.js';

/*
 * The HLS routes over real HTTP, in front of a real packager fed by ffmpeg
 * RTP. The source is 320×180, so the 240p preset is left out: the ladder is
 * the copied 180p source and an encoded 120p rung.
 */
const STREAM = 'st_hlsroutes0001';
/** The same packager seen as a signed (private) stream: its authorizer passes a token on. */
const PRIVATE_STREAM = 'st_hlsprivate001';
let app: FastifyInstance;
let base: string;
let source: RtpTestSource;
let packager: HlsPackager | undefined;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onair-hls-routes-'));
  source = new RtpTestSource({ width: 320, height: 180 });
  await source.start();
  packager = new HlsPackager({
    outDir: join(dir, STREAM),
    ffmpegPath: 'ffmpeg',
    timing: { segmentTarget: 2, partTarget: 1 / 3, windowSeconds: 30 },
    ladder: {
      presets: [
        LADDER_PRESETS['240p'],
        { name: '120p', height: 120, videoKbps: 150, audioKbps: 48 },
      ],
      encoder: 'x264',
      av1: false,
    },
    x264Preset: 'veryfast',
    keyframeIntervalMs: 2000,
    thumbnailSeconds: 2,
    log: (message) => logs.push(message),
  });
  await packager.init();
  // Not awaited: the tests wait for output themselves and fail with the packager's log.
  void packager.setSource(new RtpStreamSource(source.video, source.audio, join(dir, STREAM)));
  app = Fastify({ forceCloseConnections: true });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof OnAirError) return reply.status(error.status).send(error.toEnvelope());
    return reply.status(500).send({ code: 'INTERNAL' });
  });
  registerHlsRoutes(app, {
    authorize: async (id) => (id === PRIVATE_STREAM ? '?token=t' : ''),
    dirOf: (id) => join(dir, id === PRIVATE_STREAM ? STREAM : id),
    live: (id) => (id === STREAM || id === PRIVATE_STREAM ? packager : undefined),
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await packager?.end();
  source?.stop();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${base}/hls/${STREAM}/${path}`);
const getPrivate = (path: string) => fetch(`${base}/hls/${PRIVATE_STREAM}/${path}`);

/** Fetches a signed stream's HLS file and checks that no shared cache may keep it. */
async function getUncached(path: string): Promise<Response> {
  const response = await getPrivate(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('cache-control'), path).toBe('private, no-store');
  return response;
}

describe('HLS routes (live LL-HLS from the packager, then the recording)', () => {
  it('serves the master playlist once every rendition has a segment, with CORS and no caching', async () => {
    const response = await get('master.m3u8');
    expect(response.status, logs.join('\n')).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const master = validateMaster(await response.text());
    expect(master.variants.map((v) => v.uri)).toEqual(['180p/index.m3u8', '120p/index.m3u8']);
  }, 30_000);

  it('blocks a playlist request until the asked-for part exists, and lets CDNs keep the answer', async () => {
    const playlist = validateLlHlsMedia(await (await get('120p/index.m3u8')).text());
    const open = playlist.segments.at(-1);
    if (!open) throw new Error('no segments');
    const parts = open.parts.filter((p) => !p.hint).length;
    const next = open.uri ? [open.mediaSequenceNumber + 1, 0] : [open.mediaSequenceNumber, parts];
    const started = Date.now();
    const response = await get(`120p/index.m3u8?_HLS_msn=${next[0]}&_HLS_part=${next[1]}`);
    const waited = Date.now() - started;
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=12');
    const text = await response.text();
    expect(text).toContain(`URI="${next[0]}.${next[1]}.m4s"`);
    expect(waited).toBeLessThan(2_000);
    const blocked = validateLlHlsMedia(text);
    // Every other rendition is reported, for quick switches.
    expect(blocked.renditionReports.map((r) => r.uri)).toEqual(['../180p/index.m3u8']);
  }, 30_000);

  it('holds the preload-hinted part until it exists and serves parts, segments and init as immutable', async () => {
    const text = await (await get('180p/index.m3u8')).text();
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="([^"]+)"/.exec(text)?.[1];
    expect(hint).toBeDefined();
    const part = await get(`180p/${hint}`);
    expect(part.status).toBe(200);
    expect(part.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(part.headers.get('content-type')).toBe('video/iso.segment');
    const bytes = Buffer.from(await part.arrayBuffer());
    expect(bytes.toString('latin1', 4, 8)).toBe('moof');

    const media = validateLlHlsMedia(text);
    const segment = media.segments.find((s) => s.uri);
    const whole = await get(`180p/${segment?.uri}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).toString('latin1', 4, 8)).toBe('moof');
    const init = await get('180p/init-0.mp4');
    expect(init.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await init.arrayBuffer()).toString('latin1', 4, 8)).toBe('ftyp');
  }, 30_000);

  it('keeps every live response of a signed stream out of shared caches', async () => {
    expect(await (await getUncached('master.m3u8')).text()).toContain('180p/index.m3u8?token=t');
    const text = await (await getUncached('180p/index.m3u8')).text();
    const media = validateLlHlsMedia(text);
    const open = media.segments.at(-1);
    if (!open) throw new Error('no segments');
    const parts = open.parts.filter((p) => !p.hint).length;
    const next = open.uri ? [open.mediaSequenceNumber + 1, 0] : [open.mediaSequenceNumber, parts];
    await getUncached(`180p/index.m3u8?_HLS_msn=${next[0]}&_HLS_part=${next[1]}`);
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="([^"?]+)/.exec(text)?.[1];
    await getUncached(`180p/${hint}`);
    const segment = media.segments.find((s) => s.uri)?.uri?.split('?')[0];
    await getUncached(`180p/${segment}`);
    await getUncached('180p/init-0.mp4');
    await getUncached('poster.jpg');
  }, 30_000);

  it('answers bad requests with typed errors, never a 500', async () => {
    const ahead = await get('180p/index.m3u8?_HLS_msn=999999');
    expect(ahead.status).toBe(400);
    expect(await ahead.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const partOnly = await get('180p/index.m3u8?_HLS_part=1');
    expect(partOnly.status).toBe(400);
    const negative = await get('180p/index.m3u8?_HLS_msn=-1');
    expect(negative.status).toBe(400);
    for (const path of [
      '180p/../../etc/passwd',
      '180p/source.sdp',
      'nope/index.m3u8',
      '180p/77777.m4s',
      'secret.txt',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
    const other = await fetch(`${base}/hls/st_unknownstream1/master.m3u8`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the recording as VOD after the end', async () => {
    const live = packager;
    packager = undefined; // the media plane drops the packager when the stream ends
    await live?.end();
    const master = await get('master.m3u8');
    expect(master.status).toBe(200);
    validateMaster(await master.text());
    const vod = await get('180p/index.m3u8');
    expect(vod.headers.get('cache-control')).toBe('public, max-age=60');
    const playlist = validateLlHlsMedia(await vod.text(), { live: false });
    expect(playlist.playlistType).toBe('VOD');
    const first = await get(`180p/${playlist.segments[0]?.uri}`);
    expect(first.status).toBe(200);
    const poster = await get('poster.jpg');
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');

    // A signed stream's recording: playlists, segments and poster one viewer's only.
    const recorded = await (await getUncached('180p/index.m3u8')).text();
    await getUncached(`180p/${playlist.segments[0]?.uri}`);
    expect(recorded).toContain('?token=t');
    await getUncached('master.m3u8');
    await getUncached('poster.jpg');
  }, 30_000);

  it('answers 404, never a 500, for files removed while they are requested (a stream ending unrecorded)', async () => {
    const vod = validateLlHlsMedia(await (await get('180p/index.m3u8')).text(), { live: false });
    const uris = vod.segments.map((segment) => `180p/${segment.uri}`);
    expect(uris.length).toBeGreaterThan(0);
    // Players still asking for parts of the live edge once the packager is gone.
    for (const path of ['180p/3.1.m4s', '180p/999.0.m4s']) {
      expect((await get(path)).status, path).toBe(404);
    }
    // The folder goes (the recording is discarded) while requests for its files are under way.
    const requests = Array.from({ length: 120 }, (_, i) => get(uris[i % uris.length] as string));
    await rm(join(dir, STREAM), { recursive: true, force: true });
    const answers = await Promise.all(
      requests.map(async (request) => {
        const response = await request;
        if (response.status !== 200) {
          expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
        } else {
          await response.arrayBuffer();
        }
        return response.status;
      }),
    );
    expect(answers.filter((status) => status !== 200 && status !== 404)).toEqual([]);
    expect((await get(uris[0] as string)).status).toBe(404);
  }, 30_000);
});
