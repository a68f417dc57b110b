import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorEnvelopeSchema } from '@onair/protocol';
import { type Clip, ClipPageSchema, ClipSchema } from '@onair/protocol/clips';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { publishRtmp } from '../../../test/rtmp-publisher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/webhook-receiver.js';

/*
 * Clips with a real server, real RTMP from ffmpeg and real cuts: the last
 * seconds of a live stream, a range of it, a range of the recording after
 * the end; the MP4 (probed by ffmpeg), its byte ranges, the poster and the
 * share page; privacy inherited from the stream; who may delete; typed errors.
 */
let server: TestServer;
let owner: { token: string; userId: string };
let fan: { token: string; userId: string };
let stranger: { token: string; userId: string };
/** Asks for what fails (a refused cut still counts against the rate). */
let prober: { token: string; userId: string };
let scratch: string;
let receiver: WebhookReceiver;
const delivered: Array<{ type: string; data: { clip?: Clip } }> = [];
const encoders: ChildProcess[] = [];
let open: { id: string; streamKey: string };
let followersOnly: { id: string; streamKey: string };

async function createStream(privacy: string): Promise<{ id: string; streamKey: string }> {
  const response = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title: `A ${privacy} match`, recording: true, privacy },
  });
  const body = (await response.json()) as { stream: { id: string }; streamKey: string };
  return { id: body.stream.id, streamKey: body.streamKey };
}

const call: TestServer['call'] = (...args) => server.call(...args);

const errorOf = (body: unknown) => ErrorEnvelopeSchema.parse(body);

async function clip(streamId: string, who: { token: string }, json: unknown): Promise<Clip> {
  const made = await call('POST', `/v1/streams/${streamId}/clips`, who, json);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return ClipSchema.parse(made.body);
}

/** Seconds of media a stream's top rendition has written to its recording so far. */
async function recordedSeconds(id: string): Promise<number> {
  const master = await server.request(`/hls/${id}/master.m3u8`);
  if (master.status !== 200) return 0;
  const uri = (await master.text()).split('\n').find((line) => line.endsWith('.m3u8'));
  const media = await server.request(`/hls/${id}/${uri}`);
  const durations = [...(await media.text()).matchAll(/#EXTINF:([\d.]+)/g)];
  return durations.reduce((sum, match) => sum + Number(match[1]), 0);
}

/** What ffmpeg says of a media file: its duration and codecs. */
async function probe(data: ArrayBuffer): Promise<{ seconds: number; codecs: string[] }> {
  const file = join(scratch, `probe-${Math.random().toString(36).slice(2)}.mp4`);
  await writeFile(file, Buffer.from(data));
  const stderr = await new Promise<string>((resolve) =>
    execFile('ffmpeg', ['-hide_banner', '-i', file], (_error, _out, err) => resolve(err)),
  );
  const [, h = '0', m = '0', s = '0'] = /Duration: (\d+):(\d+):([\d.]+)/.exec(stderr) ?? [];
  const codecs = [...stderr.matchAll(/Stream #\S+: (?:Video|Audio): (\w+)/g)].map(
    (x) => x[1] ?? '',
  );
  return { seconds: Number(h) * 3600 + Number(m) * 60 + Number(s), codecs };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'onair-clips-'));
  receiver = await startWebhookReceiver((body) => {
    delivered.push(JSON.parse(body));
    return 200;
  });
  server = await startTestServer({
    media: { rtmpPort: 0, ladder: ['240p'] },
    webhooks: [
      { url: receiver.url, secret: 'clip-webhook-secret-0123456789', events: ['clip.created'] },
    ],
    // Three clips at once per user, then almost never again, and two a day but for the
    // stream's staff: the limits are tested below.
    clipRate: { capacity: 3, refillPerSecond: 0.001 },
    clipsPerDay: 2,
  });
  owner = await server.token('Clip owner', { roles: ['broadcaster'] });
  fan = await server.token('Clip fan');
  stranger = await server.token('Clip stranger');
  prober = await server.token('Clip prober');
  open = await createStream('public');
  followersOnly = await createStream('followers');
  for (const stream of [open, followersOnly]) {
    const encoder = publishRtmp(`${server.rtmpUrl}/${stream.streamKey}`, { seconds: 16 });
    encoder.stderr?.resume();
    encoders.push(encoder);
  }
  const deadline = Date.now() + 45_000;
  while ((await recordedSeconds(open.id)) < 10) {
    if (Date.now() > deadline) throw new Error('The stream recorded less than 10 s in 45 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 90_000);

afterAll(async () => {
  for (const encoder of encoders) encoder.kill('SIGKILL');
  await server?.close();
  await receiver?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe(`clips (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  let fansClip: Clip;

  it('cuts the last seconds of a live stream into an MP4 with a poster and a share page', async () => {
    fansClip = await clip(open.id, fan, { durationSeconds: 6, title: 'What a goal' });
    expect(fansClip).toMatchObject({
      streamId: open.id,
      title: 'What a goal',
      createdBy: { id: fan.userId, displayName: 'Clip fan' },
      url: `/clips/${fansClip.id}/clip.mp4`,
      posterUrl: `/clips/${fansClip.id}/poster.jpg`,
      pageUrl: `/clips/${fansClip.id}`,
    });
    // On segment boundaries (2 s): within a segment of what was asked.
    expect(fansClip.durationSeconds).toBeGreaterThanOrEqual(4);
    expect(fansClip.durationSeconds).toBeLessThanOrEqual(8);
    expect(fansClip.startSeconds).toBeGreaterThanOrEqual(2);

    const video = await server.request(fansClip.url);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect(video.headers.get('accept-ranges')).toBe('bytes');
    expect(video.headers.get('cache-control')).toContain('immutable');
    const media = await probe(await video.arrayBuffer());
    expect(media.codecs).toEqual(['h264', 'aac']);
    expect(Math.abs(media.seconds - fansClip.durationSeconds)).toBeLessThan(0.5);

    const range = await server.request(fansClip.url, { headers: { range: 'bytes=0-99' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await range.arrayBuffer()).byteLength).toBe(100);
    const outside = await server.request(fansClip.url, { headers: { range: 'bytes=999999999-' } });
    expect(outside.status).toBe(416);

    const poster = await server.request(fansClip.posterUrl ?? '');
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await poster.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);

    const page = await server.request(fansClip.pageUrl);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<meta property="og:title" content="What a goal">');
    expect(html).toMatch(/og:video" content="http:\/\/[^"]+\/clips\/clp_[^"]+\/clip\.mp4"/);
    expect(html).toContain(`src="/clips/${fansClip.id}/clip.mp4"`);
    expect(page.headers.get('cache-control')).toMatch(/^private/);

    // The host app hears of it, with the clip's unsigned URLs.
    await expect
      .poll(() => delivered.find((event) => event.data.clip?.id === fansClip.id))
      .toMatchObject({
        type: 'clip.created',
        data: { clip: { url: fansClip.url, title: 'What a goal' } },
      });
  });

  it("gives a live stream without a host image OnAir's poster as its thumbnail (#21 item 6)", async () => {
    const live = (await call('GET', `/v1/streams/${open.id}`)).body as { thumbnailUrl: string };
    expect(live.thumbnailUrl).toBe(`/hls/${open.id}/poster.jpg`);
    const image = await server.request(live.thumbnailUrl);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    // Followers-only: the viewer's own signed URL, like the stream's playlist.
    await call('PUT', `/v1/channels/${owner.userId}/follow`, stranger);
    try {
      const guarded = (await call('GET', `/v1/streams/${followersOnly.id}`, stranger)).body as {
        thumbnailUrl: string;
      };
      expect(guarded.thumbnailUrl).toMatch(`/hls/${followersOnly.id}/poster.jpg?token=`);
      // Its first frame may still be on its way (a JPEG every 5 s).
      await expect
        .poll(async () => (await server.request(guarded.thumbnailUrl)).status, { timeout: 15_000 })
        .toBe(200);
      expect((await server.request(guarded.thumbnailUrl.split('?')[0] ?? '')).status).toBe(401);
    } finally {
      await call('DELETE', `/v1/channels/${owner.userId}/follow`, stranger);
    }
    // A host's own image stays as it is.
    const own = await server.liveStream(owner.token, {
      title: 'With art',
      thumbnailUrl: 'https://cdn.example/art.png',
    });
    expect(
      ((await call('GET', `/v1/streams/${own}`)).body as { thumbnailUrl: string }).thumbnailUrl,
    ).toBe('https://cdn.example/art.png');
  });

  it('cuts a range of a live stream, and the stream title names an untitled clip', async () => {
    const range = await clip(open.id, owner, { startSeconds: 2, durationSeconds: 5 });
    expect(range.title).toBe('A public match');
    expect(range.startSeconds).toBeGreaterThanOrEqual(1);
    expect(range.startSeconds).toBeLessThanOrEqual(3);
    expect(range.durationSeconds).toBeGreaterThanOrEqual(4);
    expect(range.durationSeconds).toBeLessThanOrEqual(6);
  });

  it('answers bad requests with typed errors', async () => {
    const base = `/v1/streams/${open.id}/clips`;
    for (const body of [
      { durationSeconds: 61 },
      { durationSeconds: 4 },
      { startSeconds: -1 },
      { durationSeconds: '10' },
      { title: '' },
      { extra: 1 },
    ]) {
      const bad = await call('POST', base, prober, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(bad.body).code).toBe('VALIDATION_FAILED');
    }
    const late = await call('POST', base, prober, { startSeconds: 3600 });
    expect(late.status).toBe(422);
    expect(errorOf(late.body)).toMatchObject({ code: 'UNPROCESSABLE' });
    expect((await call('POST', base, undefined, {})).status).toBe(401);
    expect((await call('POST', '/v1/streams/str_nothing/clips', prober, {})).status).toBe(404);
    const scheduled = await server.liveStream(owner.token, { title: 'Later' }, false);
    const early = await call('POST', `/v1/streams/${scheduled}/clips`, prober, {});
    expect(early.status).toBe(409);
    expect(errorOf(early.body).code).toBe('STREAM_NOT_LIVE');
    // Live, but no media reached this server: nothing to cut yet.
    const silent = await server.liveStream(owner.token, { title: 'Silent' });
    const empty = await call('POST', `/v1/streams/${silent}/clips`, prober, {});
    expect(empty.status).toBe(503);
    expect(errorOf(empty.body).code).toBe('MEDIA_UNAVAILABLE');
    await call('POST', `/v1/streams/${silent}/end`, owner);
    // Ended without a recording: no poster to fall back on.
    expect(
      ((await call('GET', `/v1/streams/${silent}`)).body as { thumbnailUrl: null }).thumbnailUrl,
    ).toBeNull();
    const unrecorded = await call('POST', `/v1/streams/${silent}/clips`, prober, {});
    expect(errorOf(unrecorded.body).code).toBe('STREAM_NOT_LIVE');
    expect((await call('GET', '/v1/clips/clp_nothing')).status).toBe(404);
    expect((await call('GET', `/clips/clp_nothing/clip.mp4`)).status).toBe(404);
    expect((await call('GET', `/clips/${fansClip.id}/other.txt`)).status).toBe(404);
  });

  it("inherits a followers-only stream's privacy: signed URLs for followers, nothing for others", async () => {
    const base = `/v1/streams/${followersOnly.id}/clips`;
    expect((await call('POST', base, stranger, {})).status).toBe(404);
    expect((await call('PUT', `/v1/channels/${owner.userId}/follow`, fan)).status).toBe(200);
    const made = await clip(followersOnly.id, fan, { durationSeconds: 5 });
    expect(made.url).toMatch(/^\/clips\/clp_[\w-]+\/clip\.mp4\?token=/);
    expect(made.posterUrl).toMatch(/\?token=/);
    expect(made.pageUrl).toMatch(/\?token=/);
    expect((await server.request(made.url)).status).toBe(200);
    expect((await server.request(made.url.split('?')[0] ?? '')).status).toBe(401);
    const page = await server.request(made.pageUrl);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(await page.text()).toContain('clip.mp4?token=');
    expect((await call('GET', `/v1/clips/${made.id}`, stranger)).status).toBe(404);
    expect((await call('GET', base, stranger)).status).toBe(404);
    expect((await call('GET', `/v1/clips/${made.id}`, fan)).status).toBe(200);
    // The clip's token is the clip's alone: it opens nothing else of the stream, and the
    // fan's token of the stream opens no clip.
    const clipToken = new URL(made.url, server.url).searchParams.get('token') ?? '';
    const hls = await server.request(`/hls/${followersOnly.id}/master.m3u8?token=${clipToken}`);
    expect(hls.status).toBe(401);
    const stream = (await call('GET', `/v1/streams/${followersOnly.id}`, fan)).body as {
      hlsUrl: string;
    };
    const streamToken = new URL(stream.hlsUrl, server.url).searchParams.get('token') ?? '';
    expect(streamToken).not.toBe('');
    expect((await server.request(`${made.url.split('?')[0]}?token=${streamToken}`)).status).toBe(
      401,
    );
  });

  it('cuts a range of the recording once the stream ended; earlier clips stay', async () => {
    await call('POST', `/v1/streams/${open.id}/end`, owner);
    await expect
      .poll(
        async () =>
          ((await call('GET', `/v1/streams/${open.id}`)).body as { recordingUrl: string | null })
            .recordingUrl,
        {
          timeout: 20_000,
        },
      )
      .not.toBeNull();
    const recorded = await clip(open.id, owner, { startSeconds: 4, durationSeconds: 6 });
    expect(recorded.startSeconds).toBeGreaterThanOrEqual(3);
    expect(recorded.startSeconds).toBeLessThanOrEqual(5);
    const media = await probe(await (await server.request(recorded.url)).arrayBuffer());
    expect(Math.abs(media.seconds - recorded.durationSeconds)).toBeLessThan(0.5);
    expect((await server.request(fansClip.url)).status).toBe(200);
    // The recording's poster is the thumbnail now.
    const ended = (await call('GET', `/v1/streams/${open.id}`)).body as { thumbnailUrl: string };
    expect(ended.thumbnailUrl).toBe(`/hls/${open.id}/poster.jpg`);
    expect((await server.request(ended.thumbnailUrl)).headers.get('content-type')).toBe(
      'image/jpeg',
    );
  });

  it('lists a stream’s clips newest first, a page at a time', async () => {
    const first = ClipPageSchema.parse(
      (await call('GET', `/v1/streams/${open.id}/clips?limit=2`)).body,
    );
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = ClipPageSchema.parse(
      (await call('GET', `/v1/streams/${open.id}/clips?limit=2&cursor=${first.nextCursor}`)).body,
    );
    const all = [...first.items, ...rest.items];
    expect(all.map((c) => c.createdAt)).toEqual([...all.map((c) => c.createdAt)].sort().reverse());
    expect(all.map((c) => c.id)).toContain(fansClip.id);
    expect(all).toHaveLength(3);
    expect(rest.nextCursor).toBeNull();
  });

  it("limits how often one user clips, and how many a day but for the stream's staff", async () => {
    // Two a day here: the third is refused for hours.
    const eager = await server.token('Clip eager');
    for (let made = 0; made < 2; made++) {
      await clip(open.id, eager, { startSeconds: 0, durationSeconds: 5 });
    }
    const daily = await call('POST', `/v1/streams/${open.id}/clips`, eager, { startSeconds: 0 });
    expect(daily.status).toBe(429);
    expect(errorOf(daily.body)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(errorOf(daily.body).message).toMatch(/in a day/);
    expect(errorOf(daily.body).details?.retryAfterSeconds).toBeGreaterThan(3600);
    // The owner has no daily allowance, only the burst of three (two made above), then
    // one more every 1000 s here.
    await clip(open.id, owner, { startSeconds: 0, durationSeconds: 5 });
    const burst = await call('POST', `/v1/streams/${open.id}/clips`, owner, { startSeconds: 0 });
    expect(burst.status).toBe(429);
    expect(errorOf(burst.body)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(errorOf(burst.body).message).toMatch(/too fast/);
    expect(errorOf(burst.body).details?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("lets the clip's creator and the stream's owner delete it, nobody else", async () => {
    const forbidden = await call('DELETE', `/v1/clips/${fansClip.id}`, stranger);
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden.body).code).toBe('FORBIDDEN');
    expect((await call('DELETE', `/v1/clips/${fansClip.id}`)).status).toBe(401);
    expect((await call('DELETE', `/v1/clips/${fansClip.id}`, fan)).status).toBe(204);
    expect((await server.request(fansClip.url)).status).toBe(404);
    expect((await call('GET', `/v1/clips/${fansClip.id}`)).status).toBe(404);
    const page = ClipPageSchema.parse((await call('GET', `/v1/streams/${open.id}/clips`)).body);
    const ownersPick = page.items.find((c) => c.createdBy.id !== owner.userId);
    expect(ownersPick).toBeDefined();
    expect((await call('DELETE', `/v1/clips/${ownersPick?.id}`, owner)).status).toBe(204);
  });
});
