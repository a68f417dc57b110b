import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OnAirError } from '../errors.js';
import { OnAirClient } from './client.js';
import { streamKeys } from './streams.js';
import { streamFixture } from './test-fixtures.js';

const BASE = 'http://onair.test';
const stream = streamFixture();

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

function client(token: string | null = 'tok') {
  return new OnAirClient({ baseUrl: `${BASE}/`, token: async () => token });
}

describe('StreamsApi over REST', () => {
  it('sends the bearer token and JSON body, and caches the created stream', async () => {
    let seen: { auth: string | null; body: unknown } | undefined;
    api.use(
      http.post(`${BASE}/v1/streams`, async ({ request }) => {
        seen = { auth: request.headers.get('authorization'), body: await request.json() };
        return HttpResponse.json({ stream, streamKey: 'onair_sk_x' }, { status: 201 });
      }),
    );
    const c = client();
    const created = await c.streams.create({ title: 'Office hours' });
    expect(seen).toEqual({ auth: 'Bearer tok', body: { title: 'Office hours' } });
    expect(created.streamKey).toBe('onair_sk_x');
    expect(c.queryClient.getQueryData(streamKeys.detail('str_1'))).toEqual(stream);
    c.destroy();
  });

  it('uploads a thumbnail as the image itself, typed as it is, and caches the answer', async () => {
    let seen: { type: string | null; bytes: number[] } | undefined;
    const updated = { ...stream, thumbnailUrl: '/thumbnails/str_1/abcdefghijkl.jpg' };
    api.use(
      http.put(`${BASE}/v1/streams/str_1/thumbnail`, async ({ request }) => {
        seen = {
          type: request.headers.get('content-type'),
          bytes: [...new Uint8Array(await request.arrayBuffer())],
        };
        return HttpResponse.json(updated);
      }),
    );
    const c = client();
    const image = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });
    expect((await c.streams.uploadThumbnail('str_1', image)).thumbnailUrl).toBe(
      updated.thumbnailUrl,
    );
    expect(seen).toEqual({ type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47] });
    expect(c.queryClient.getQueryData(streamKeys.detail('str_1'))).toEqual(updated);
    c.destroy();
  });

  it('omits the header for anonymous callers', async () => {
    let auth: string | null = 'unset';
    api.use(
      http.get(`${BASE}/v1/streams/str_1`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json(stream);
      }),
    );
    await client(null).streams.get('str_1');
    expect(auth).toBeNull();
  });

  it('turns error envelopes into typed OnAirErrors', async () => {
    api.use(
      http.post(`${BASE}/v1/streams/str_1/start`, () =>
        HttpResponse.json(
          { code: 'CONFLICT', message: 'A live stream cannot become live' },
          { status: 409 },
        ),
      ),
    );
    const error = await client()
      .streams.start('str_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnAirError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'A live stream cannot become live' });
  });

  it('rejects responses that do not match the protocol', async () => {
    api.use(http.get(`${BASE}/v1/streams/str_1`, () => HttpResponse.json({ id: 'str_1' })));
    await expect(client().streams.get('str_1')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('sends every list filter the server takes, sort included', async () => {
    const seen: string[] = [];
    api.use(
      http.get(`${BASE}/v1/streams`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
    );
    const c = client();
    await c.streams.list(
      { status: 'live', sort: 'viewers', tag: 'math', q: 'alg', limit: 5 },
      'v5',
    );
    await c.streams.list({ status: 'past', recorded: 'true', externalId: 'lesson-3' });
    expect(seen).toEqual([
      '?status=live&limit=5&q=alg&tag=math&sort=viewers&cursor=v5',
      '?status=past&limit=20&externalId=lesson-3&recorded=true',
    ]);
    // Lists that differ only by their sort are cached apart.
    expect(streamKeys.list({ sort: 'viewers' })).not.toEqual(streamKeys.list({}));
    expect(streamKeys.list({ sort: 'recent' })).toEqual(streamKeys.list({}));
    c.destroy();
  });

  it('reports unreachable servers as NETWORK errors', async () => {
    api.use(http.get(`${BASE}/v1/streams/str_1`, () => HttpResponse.error()));
    await expect(client().streams.get('str_1')).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('maps a non-envelope 502 to INTERNAL', async () => {
    api.use(http.get(`${BASE}/v1/streams`, () => new HttpResponse('bad gateway', { status: 502 })));
    await expect(client().streams.listLive()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('updates the cache on start and invalidates live lists when the status changes', async () => {
    const live = {
      ...stream,
      status: 'live',
      startedAt: '2026-11-22T10:01:00.000Z',
      hlsUrl: '/hls/str_1/master.m3u8',
    };
    let listCalls = 0;
    api.use(
      http.post(`${BASE}/v1/streams/str_1/start`, () => HttpResponse.json(live)),
      http.get(`${BASE}/v1/streams`, ({ request }) => {
        listCalls++;
        expect(new URL(request.url).searchParams.get('status')).toBe('live');
        return HttpResponse.json({ items: listCalls > 1 ? [live] : [], nextCursor: null });
      }),
    );
    const c = client();
    const { QueryObserver } = await import('@tanstack/query-core');
    const observer = new QueryObserver(c.queryClient, c.streams.liveQuery());
    const results: number[] = [];
    const off = observer.subscribe((r) => r.data && results.push(r.data.items.length));
    await expect.poll(() => results.at(-1)).toBe(0);
    await c.streams.start('str_1');
    expect(c.queryClient.getQueryData(streamKeys.detail('str_1'))).toMatchObject({
      status: 'live',
    });
    await expect.poll(() => results.at(-1)).toBe(1);
    off();
    c.destroy();
  });
});
