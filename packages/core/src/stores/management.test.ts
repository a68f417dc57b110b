import type { Channel } from '@onair/protocol';
import { environmentManager } from '@tanstack/query-core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelKeys } from '../transport/channels.js';
import { OnAirClient } from '../transport/client.js';
import { streamKeys } from '../transport/streams.js';
import { streamFixture } from '../transport/test-fixtures.js';
import { StreamListStore } from './stream-list-store.js';

const BASE = 'http://onair.test';
const api = setupServer();
beforeAll(() => api.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

const client = () => new OnAirClient({ baseUrl: BASE, token: 'tok' });
const deferred = () => {
  let release = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
};

describe('optimistic edits', () => {
  it('shows an edit at once and keeps the server version', async () => {
    const c = client();
    c.queryClient.setQueryData(streamKeys.detail('str_1'), streamFixture());
    const gate = deferred();
    api.use(
      http.patch(`${BASE}/v1/streams/str_1`, async () => {
        await gate.promise;
        return HttpResponse.json(
          streamFixture({ title: 'Renamed', updatedAt: '2026-11-22T11:00:00.000Z' }),
        );
      }),
    );
    const pending = c.streams.update('str_1', { title: 'Renamed', chat: { slowModeSeconds: 5 } });
    await expect
      .poll(() => c.queryClient.getQueryData<{ title: string }>(streamKeys.detail('str_1'))?.title)
      .toBe('Renamed');
    expect(c.queryClient.getQueryData<{ chat: object }>(streamKeys.detail('str_1'))?.chat).toEqual({
      enabled: true,
      mode: 'open',
      slowModeSeconds: 5,
      emoteOnly: false,
    });
    gate.release();
    await pending;
    c.destroy();
  });

  it('rolls back when the server refuses, and rejects with the typed error', async () => {
    const c = client();
    const original = streamFixture();
    c.queryClient.setQueryData(streamKeys.detail('str_1'), original);
    api.use(
      http.patch(`${BASE}/v1/streams/str_1`, () =>
        HttpResponse.json(
          { code: 'FORBIDDEN', message: 'Moderators cannot change privacy' },
          { status: 403 },
        ),
      ),
    );
    await expect(c.streams.update('str_1', { privacy: 'private' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(c.queryClient.getQueryData(streamKeys.detail('str_1'))).toEqual(original);
    c.destroy();
  });

  it('follows optimistically and restores the count on failure', async () => {
    const c = client();
    const channel: Channel = {
      id: 'usr_9',
      displayName: 'Nine',
      avatarUrl: null,
      bannerUrl: null,
      description: '',
      emotes: [],
      followerCount: 10,
      following: false,
    };
    c.queryClient.setQueryData(channelKeys.detail('usr_9'), channel);
    api.use(
      http.put(`${BASE}/v1/channels/usr_9/follow`, () =>
        HttpResponse.json({ channelId: 'usr_9', following: true, followerCount: 12 }),
      ),
    );
    await c.channels.setFollowing('usr_9', true);
    expect(c.queryClient.getQueryData(channelKeys.detail('usr_9'))).toMatchObject({
      following: true,
      followerCount: 12,
    });
    api.use(http.delete(`${BASE}/v1/channels/usr_9/follow`, () => HttpResponse.error()));
    await expect(c.channels.setFollowing('usr_9', false)).rejects.toMatchObject({
      code: 'NETWORK',
    });
    expect(c.queryClient.getQueryData(channelKeys.detail('usr_9'))).toMatchObject({
      following: true,
      followerCount: 12,
    });
    c.destroy();
  });
});

describe('StreamListStore', () => {
  it('pages with the cursor, de-duplicates, and sends the filters', async () => {
    const seen: string[] = [];
    api.use(
      http.get(`${BASE}/v1/streams`, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url.search);
        const cursor = url.searchParams.get('cursor');
        return HttpResponse.json(
          cursor
            ? {
                items: [streamFixture({ id: 'str_2' }), streamFixture({ id: 'str_3' })],
                nextCursor: null,
              }
            : {
                items: [streamFixture({ id: 'str_1' }), streamFixture({ id: 'str_2' })],
                nextCursor: 'c1',
              },
        );
      }),
    );
    const c = client();
    const list = new StreamListStore(c, {
      status: 'scheduled',
      category: 'Music',
      externalId: 'lesson-7',
      q: 'alg',
      tag: 'maths',
      following: 'true',
      limit: 2,
      live: false,
    });
    const off = list.subscribe(() => undefined);
    await expect.poll(() => list.getSnapshot().status).toBe('success');
    expect(list.getSnapshot()).toMatchObject({ hasMore: true });
    await list.loadMore();
    expect(list.getSnapshot().streams.map((s) => s.id)).toEqual(['str_1', 'str_2', 'str_3']);
    expect(list.getSnapshot().hasMore).toBe(false);
    expect(seen[0]).toBe(
      '?status=scheduled&limit=2&category=Music&externalId=lesson-7&q=alg&tag=maths&following=true',
    );
    expect(seen[1]).toContain('cursor=c1');
    off();
    c.destroy();
  });

  it('fetches a ranking by viewers again every 30 s while watched, and only a ranking', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    // TanStack schedules no refetch timer where there is no window: this test stands for a page.
    environmentManager.setIsServer(() => false);
    try {
      const fetched: string[] = [];
      let viewers = 5;
      api.use(
        http.get(`${BASE}/v1/streams`, ({ request }) => {
          const url = new URL(request.url);
          const sort = url.searchParams.get('sort') ?? 'recent';
          if (url.searchParams.get('cursor')) {
            return HttpResponse.json({
              items: [streamFixture({ id: 'str_second' })],
              nextCursor: null,
            });
          }
          fetched.push(sort);
          return HttpResponse.json({
            items: [streamFixture({ id: `str_${sort}`, viewerCount: viewers++ })],
            nextCursor: sort === 'viewers' ? 'c1' : null,
          });
        }),
      );
      const c = client();
      const ranked = new StreamListStore(c, { status: 'live', sort: 'viewers', live: false });
      const recent = new StreamListStore(c, { status: 'live', live: false });
      const offRanked = ranked.subscribe(() => undefined);
      const offRecent = recent.subscribe(() => undefined);
      await expect.poll(() => fetched.length).toBe(2);
      const first = ranked.getSnapshot().streams[0]?.viewerCount;
      // The reader loaded a second page: the refresh keeps it.
      await ranked.loadMore();
      expect(ranked.getSnapshot().streams.map((x) => x.id)).toEqual(['str_viewers', 'str_second']);
      await vi.advanceTimersByTimeAsync(30_000);
      await expect.poll(() => fetched.filter((sort) => sort === 'viewers').length).toBe(2);
      await expect.poll(() => ranked.getSnapshot().streams[0]?.viewerCount).not.toBe(first);
      expect(ranked.getSnapshot().streams.map((x) => x.id)).toEqual(['str_viewers', 'str_second']);
      expect(fetched.filter((sort) => sort === 'recent')).toHaveLength(1);
      // Nobody watching: no more fetches.
      offRanked();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(fetched.filter((sort) => sort === 'viewers')).toHaveLength(2);
      offRecent();
      c.destroy();
    } finally {
      environmentManager.setIsServer(() => true);
      vi.useRealTimers();
    }
  });

  it('reports a failed first page as a typed error', async () => {
    api.use(
      http.get(`${BASE}/v1/streams`, () =>
        HttpResponse.json(
          { code: 'VALIDATION_FAILED', message: 'category: too long' },
          { status: 400 },
        ),
      ),
    );
    const c = client();
    const list = new StreamListStore(c, { live: false });
    const off = list.subscribe(() => undefined);
    await expect.poll(() => list.getSnapshot().status).toBe('error');
    expect(list.getSnapshot().error?.code).toBe('VALIDATION_FAILED');
    off();
    c.destroy();
  });
});
