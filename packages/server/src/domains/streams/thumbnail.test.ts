import { execFile } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { ErrorEnvelopeSchema, StreamSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * Thumbnail uploads on a real server with real ffmpeg: type by the bytes,
 * size limit, re-encoding (no metadata of the upload survives, at most
 * 1280×720), a new URL per upload, who may upload and see it, typed errors.
 */
let server: TestServer;
let owner: { token: string; userId: string };
let fan: { token: string; userId: string };

/** An image made by ffmpeg from a test pattern. */
function image(size: string, codec: 'png' | 'mjpeg'): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile(
      'ffmpeg',
      [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${size}`,
        '-frames:v',
        '1',
        '-c:v',
        codec,
        '-f',
        'image2pipe',
        'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
}

/** Width and height of an image, as ffmpeg reads it. */
function dimensions(data: ArrayBuffer): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile('ffmpeg', ['-hide_banner', '-i', 'pipe:0'], (_error, _out, stderr) =>
      resolve(/, (\d+x\d+)/.exec(stderr)?.[1] ?? ''),
    );
    child.stdin?.end(Buffer.from(data));
  });
}

async function upload(streamId: string, body: Buffer, type = 'image/png', who = owner) {
  const response = await server.request(`/v1/streams/${streamId}/thumbnail`, {
    method: 'PUT',
    token: who.token,
    headers: { 'content-type': type },
    body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const codeOf = (body: unknown) => ErrorEnvelopeSchema.parse(body).code;

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

beforeAll(async () => {
  server = await startTestServer({ media: { enabled: true, rtmpPort: false } });
  owner = await server.token('Thumb owner', { roles: ['broadcaster'] });
  fan = await server.token('Thumb fan');
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('stream thumbnail uploads', () => {
  it('stores an upload as a JPEG of at most 1280×720 without its metadata, a new URL each time', async () => {
    const id = await server.liveStream(owner.token, { title: 'Art' }, false);
    // A JPEG carrying a comment (where cameras put EXIF, a phone its location).
    const photo = await image('1920x1080', 'mjpeg');
    const secret = Buffer.from('GPS 48.8584 N 2.2945 E');
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, secret.length + 2]), secret]);
    const tagged = Buffer.concat([photo.subarray(0, 2), comment, photo.subarray(2)]);
    const first = await upload(id, tagged, 'image/jpeg');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const stream = StreamSchema.parse(first.body);
    expect(stream.thumbnailUrl).toMatch(new RegExp(`^/thumbnails/${id}/[\\w-]{12}\\.jpg$`));
    const served = await server.request(stream.thumbnailUrl ?? '');
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('cache-control')).toBe('public, max-age=60');
    const bytes = await served.arrayBuffer();
    expect(Buffer.from(bytes).includes(secret)).toBe(false);
    expect(await dimensions(bytes)).toBe('1280x720');

    // A small PNG keeps its size; the first upload's URL stops working.
    const second = StreamSchema.parse((await upload(id, await image('320x180', 'png'))).body);
    expect(second.thumbnailUrl).not.toBe(stream.thumbnailUrl);
    expect(
      await dimensions(await (await server.request(second.thumbnailUrl ?? '')).arrayBuffer()),
    ).toBe('320x180');
    expect((await server.request(stream.thumbnailUrl ?? '')).status).toBe(404);
    const read = StreamSchema.parse(await (await server.request(`/v1/streams/${id}`)).json());
    expect(read.thumbnailUrl).toBe(second.thumbnailUrl);
  });

  it('deletes an upload once the stream shows another thumbnail, and keeps racing uploads sound', async () => {
    const id = await server.liveStream(owner.token, { title: 'Swapped' }, false);
    const uploaded = StreamSchema.parse((await upload(id, await image('320x180', 'png'))).body);
    const file = uploaded.thumbnailUrl ?? '';
    expect((await server.request(file)).status).toBe(200);
    // The host points the stream at an image of its own: the upload goes.
    const patched = await server.call('PATCH', `/v1/streams/${id}`, owner, {
      thumbnailUrl: 'https://cdn.example.com/art.jpg',
    });
    expect(patched.status).toBe(200);
    await expect.poll(async () => (await server.request(file)).status).toBe(404);

    // Two uploads at once: whichever the stream ends up showing is served, the other is gone.
    const images = [await image('320x180', 'png'), await image('640x360', 'png')];
    const results = await Promise.all(images.map((body) => upload(id, body)));
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const shown = StreamSchema.parse(
      await (await server.request(`/v1/streams/${id}`)).json(),
    ).thumbnailUrl;
    const urls = results.map((r) => StreamSchema.parse(r.body).thumbnailUrl ?? '');
    expect(urls).toContain(shown);
    await expect
      .poll(async () => Promise.all(urls.map(async (u) => (await server.request(u)).status)))
      .toEqual(urls.map((u) => (u === shown ? 200 : 404)));
  });

  it("serves a signed stream's upload only to a viewer who may watch it, never to shared caches", async () => {
    const ann = await server.token('Thumb invitee');
    const id = await server.liveStream(owner.token, { title: 'Secret', privacy: 'private' }, false);
    await server.call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [ann.userId] });
    const uploaded = await upload(id, await image('320x180', 'png'));
    const ownerUrl = StreamSchema.parse(uploaded.body).thumbnailUrl ?? '';
    expect(ownerUrl).toMatch(new RegExp(`^/thumbnails/${id}/[\\w-]{12}\\.jpg\\?token=`));
    const file = ownerUrl.split('?')[0] ?? '';
    const served = await server.request(ownerUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('private, no-store');
    // The bare path, or someone else's token on it, opens nothing.
    const bare = await server.request(file);
    expect(bare.status).toBe(401);
    expect(codeOf(await bare.json())).toBe('UNAUTHORIZED');
    expect((await server.request(`${file}?token=1.1.v.abc.${'x'.repeat(43)}`)).status).toBe(401);
    const annUrl =
      StreamSchema.parse((await server.call('GET', `/v1/streams/${id}`, ann)).body).thumbnailUrl ??
      '';
    expect(annUrl).not.toBe(ownerUrl);
    expect((await server.request(annUrl)).status).toBe(200);
    // Uninvited: their URL stops working at once; the owner's still works.
    await server.call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [] });
    await expect.poll(async () => (await server.request(annUrl)).status).toBe(401);
    // Made public: the plain URL for everyone, cacheable again (briefly: privacy may change).
    await server.call('PATCH', `/v1/streams/${id}`, owner, { privacy: 'public' });
    const open = StreamSchema.parse(await (await server.request(`/v1/streams/${id}`)).json());
    expect(open.thumbnailUrl).toBe(file);
    const cached = await server.request(file);
    expect(cached.status).toBe(200);
    expect(cached.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('refuses what is not an image, too large, from someone else or for an ended stream', async () => {
    const id = await server.liveStream(owner.token, { title: 'Checks' }, false);
    const png = await image('64x64', 'png');
    const fake = await upload(id, Buffer.from('<svg onload="alert(1)"></svg>'), 'image/png');
    expect(fake.status).toBe(422);
    expect(codeOf(fake.body)).toBe('UNPROCESSABLE');
    // A PNG's signature over garbage: ffmpeg cannot decode it.
    const broken = Buffer.concat([png.subarray(0, 16), Buffer.alloc(200, 7)]);
    expect(codeOf((await upload(id, broken)).body)).toBe('UNPROCESSABLE');
    // A few hundred bytes that claim 30000×30000 pixels (2.7 GB decoded): refused unread.
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', Buffer.from([0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0])),
      pngChunk('IDAT', deflateSync(Buffer.alloc(30_001))),
      pngChunk('IEND', Buffer.alloc(0)),
    ]);
    const started = Date.now();
    const refusedBomb = await upload(id, bomb);
    expect(codeOf(refusedBomb.body)).toBe('UNPROCESSABLE');
    expect(Date.now() - started).toBeLessThan(5_000);
    const huge = await upload(id, Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]));
    expect(huge.status).toBe(413);
    expect(codeOf(huge.body)).toBe('PAYLOAD_TOO_LARGE');
    const gif = await upload(id, png, 'image/gif');
    // A type no route reads: refused with a typed error before anything reads the body.
    expect(gif.status).toBe(400);
    expect(codeOf(gif.body)).toBe('BAD_REQUEST');
    const json = await server.request(`/v1/streams/${id}/thumbnail`, {
      method: 'PUT',
      token: owner.token,
      json: { image: 'x' },
    });
    expect(codeOf(await json.json())).toBe('UNPROCESSABLE');
    expect(codeOf((await upload(id, png, 'image/png', fan)).body)).toBe('FORBIDDEN');
    const anonymous = await server.request(`/v1/streams/${id}/thumbnail`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    expect(anonymous.status).toBe(401);
    await server.request(`/v1/streams/${id}/start`, { method: 'POST', token: owner.token });
    await server.request(`/v1/streams/${id}/end`, { method: 'POST', token: owner.token });
    expect(codeOf((await upload(id, png)).body)).toBe('CONFLICT');
    expect((await server.request('/thumbnails/str_x/../../etc.jpg')).status).toBe(404);
    expect((await server.request(`/thumbnails/${id}/aaaaaaaaaaaa.jpg`)).status).toBe(404);
  });
});
