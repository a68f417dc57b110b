import {
  CreatedStreamSchema,
  DevTokenResponseSchema,
  ErrorEnvelopeSchema,
  StreamPageSchema,
  StreamSchema,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { STREAM_KEY_PREFIX } from '../../platform/auth/stream-keys.js';

let server: TestServer;
let ada: { token: string; userId: string };
let bob: { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer({ devAuth: true });
  ada = await server.token('Ada');
  bob = await server.token('Bob');
});
afterAll(() => server?.close());

async function error(response: Response, status: number) {
  expect(response.status).toBe(status);
  return ErrorEnvelopeSchema.parse(await response.json());
}

describe(`REST streams (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('reports its storage driver', async () => {
    const health = (await (await server.request('/healthz')).json()) as { storage: string };
    expect(health.storage).toBe(process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('creates a stream and shows the stream key once', async () => {
    const response = await server.request('/v1/streams', {
      method: 'POST',
      token: ada.token,
      json: { title: '  Office hours ', privacy: 'public' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const created = CreatedStreamSchema.parse(await response.json());
    expect(created.stream).toMatchObject({
      title: 'Office hours',
      status: 'scheduled',
      hlsUrl: null,
    });
    expect(created.stream.owner).toEqual({ id: ada.userId, displayName: 'Ada' });
    expect(created.streamKey.startsWith(STREAM_KEY_PREFIX)).toBe(true);
    expect(created.streamKey.length).toBeGreaterThanOrEqual(STREAM_KEY_PREFIX.length + 22);

    const fetched = await (await server.request(`/v1/streams/${created.stream.id}`)).json();
    expect(StreamSchema.parse(fetched)).toEqual(created.stream);
    expect(JSON.stringify(fetched)).not.toContain(created.streamKey);
  });

  it('starts and ends a stream (owner only) and lists it while live', async () => {
    const { stream } = CreatedStreamSchema.parse(
      await (
        await server.request('/v1/streams', {
          method: 'POST',
          token: ada.token,
          json: { title: 'Live' },
        })
      ).json(),
    );
    const forbidden = await server.request(`/v1/streams/${stream.id}/start`, {
      method: 'POST',
      token: bob.token,
    });
    expect((await error(forbidden, 403)).code).toBe('FORBIDDEN');

    const started = StreamSchema.parse(
      await (
        await server.request(`/v1/streams/${stream.id}/start`, { method: 'POST', token: ada.token })
      ).json(),
    );
    expect(started.status).toBe('live');
    expect(started.startedAt).not.toBeNull();
    expect(started.hlsUrl).toBe(`/hls/${stream.id}/master.m3u8`);

    const live = StreamPageSchema.parse(
      await (await server.request('/v1/streams?status=live')).json(),
    );
    expect(live.items.map((s) => s.id)).toContain(stream.id);

    const again = await server.request(`/v1/streams/${stream.id}/start`, {
      method: 'POST',
      token: ada.token,
    });
    expect((await error(again, 409)).code).toBe('CONFLICT');

    const ended = StreamSchema.parse(
      await (
        await server.request(`/v1/streams/${stream.id}/end`, { method: 'POST', token: ada.token })
      ).json(),
    );
    expect(ended.status).toBe('ended');
    expect(ended.endedAt).not.toBeNull();
    const after = StreamPageSchema.parse(await (await server.request('/v1/streams')).json());
    expect(after.items.map((s) => s.id)).not.toContain(stream.id);
  });

  it('paginates live streams with a cursor, without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = CreatedStreamSchema.parse(
        await (
          await server.request('/v1/streams', {
            method: 'POST',
            token: bob.token,
            json: { title: `S${i}` },
          })
        ).json(),
      );
      await server.request(`/v1/streams/${created.stream.id}/start`, {
        method: 'POST',
        token: bob.token,
      });
      ids.push(created.stream.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = StreamPageSchema.parse(
        await (await server.request(`/v1/streams?limit=2${query}`)).json(),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  it('hides private streams from everyone but the owner (404, not 403)', async () => {
    const { stream } = CreatedStreamSchema.parse(
      await (
        await server.request('/v1/streams', {
          method: 'POST',
          token: ada.token,
          json: { title: 'Secret', privacy: 'private' },
        })
      ).json(),
    );
    expect((await server.request(`/v1/streams/${stream.id}`, { token: ada.token })).status).toBe(
      200,
    );
    expect(
      (await error(await server.request(`/v1/streams/${stream.id}`, { token: bob.token }), 404))
        .code,
    ).toBe('NOT_FOUND');
    expect((await server.request(`/v1/streams/${stream.id}`)).status).toBe(404);
    const start = await server.request(`/v1/streams/${stream.id}/start`, {
      method: 'POST',
      token: bob.token,
    });
    expect(start.status).toBe(404);
  });

  it('answers bad input with typed errors, never a 500', async () => {
    const noAuth = await server.request('/v1/streams', { method: 'POST', json: { title: 'x' } });
    expect((await error(noAuth, 401)).code).toBe('UNAUTHORIZED');
    const badToken = await server.request('/v1/streams', {
      method: 'POST',
      token: 'not.a.jwt',
      json: { title: 'x' },
    });
    expect((await error(badToken, 401)).code).toBe('UNAUTHORIZED');
    const noTitle = await server.request('/v1/streams', {
      method: 'POST',
      token: ada.token,
      json: { title: '' },
    });
    const envelope = await error(noTitle, 400);
    expect(envelope).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'title: title is required',
    });
    const badJson = await server.request('/v1/streams', {
      method: 'POST',
      token: ada.token,
      headers: { 'content-type': 'application/json' },
      body: '{"title":',
    });
    expect((await error(badJson, 400)).code).toBe('BAD_REQUEST');
    const huge = await server.request('/v1/streams', {
      method: 'POST',
      token: ada.token,
      json: { title: 'x', description: 'y'.repeat(100_000) },
    });
    expect((await error(huge, 413)).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await error(await server.request('/v1/streams/..%2Fetc'), 400)).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await error(await server.request('/v1/streams/str_missing'), 404)).code).toBe(
      'NOT_FOUND',
    );
    expect((await error(await server.request('/v1/streams?cursor=garbage'), 400)).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await error(await server.request('/v1/streams?limit=1000'), 400)).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await error(await server.request('/nope'), 404)).code).toBe('NOT_FOUND');
  });

  it('issues development tokens only when enabled', async () => {
    const response = await server.request('/v1/dev/token', {
      method: 'POST',
      json: { displayName: 'Cy' },
    });
    expect(response.status).toBe(201);
    const { token, user } = DevTokenResponseSchema.parse(await response.json());
    expect(user.displayName).toBe('Cy');
    const create = await server.request('/v1/streams', {
      method: 'POST',
      token,
      json: { title: 'Dev' },
    });
    expect(create.status).toBe(201);
    const bad = await server.request('/v1/dev/token', {
      method: 'POST',
      json: { displayName: '' },
    });
    expect((await error(bad, 400)).code).toBe('VALIDATION_FAILED');

    const prod = await startTestServer();
    try {
      const off = await prod.request('/v1/dev/token', {
        method: 'POST',
        json: { displayName: 'Cy' },
      });
      expect((await error(off, 404)).code).toBe('NOT_FOUND');
    } finally {
      await prod.close();
    }
  });
});
