import { CreatedStreamSchema, StreamInvitesSchema, StreamSchema } from '@onair/protocol';
import {
  CreateStreamInputSchema,
  DevTokenRequestSchema,
  UpdateChannelInputSchema,
  UpdateStreamInputSchema,
} from '@onair/protocol/inputs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
const GARBAGE: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(10_000),
  '\u0000',
  '<script>alert(1)</script>',
  "'; DROP TABLE streams; --",
  '🎉'.repeat(600),
  'not-a-date',
  '1999-01-01T00:00:00Z',
  'javascript:alert(1)',
  'ftp://example.com/a.png',
  true,
  false,
  [],
  [1, 2, 3],
  ['x'.repeat(100)],
  {},
  { nested: { deeper: [null] } },
  deep(50),
  { mode: 'chaos' },
];

/** Bodies that fail `schema`: each field replaced by garbage the schema refuses, and whole-body garbage. */
function invalidBodies(
  schema: z.ZodMiniObject,
  valid: Record<string, unknown>,
  rnd: () => number,
  count: number,
) {
  const shape = schema.shape as Record<string, z.ZodMiniType>;
  const fields = Object.keys(shape);
  const bodies: unknown[] = [...GARBAGE.filter((g) => !schema.safeParse(g).success)];
  let guard = 0;
  while (bodies.length < count && guard++ < count * 20) {
    const body: Record<string, unknown> = { ...valid };
    const field = fields[Math.floor(rnd() * fields.length)] as string;
    const value = GARBAGE[Math.floor(rnd() * GARBAGE.length)];
    body[field] = value;
    if (rnd() < 0.2) body[`extra_${Math.floor(rnd() * 5)}`] = value;
    if (!schema.safeParse(body).success) bodies.push(body);
  }
  return bodies;
}

let server: TestServer;
let owner: { token: string; userId: string };
let streamId: string;

beforeAll(async () => {
  server = await startTestServer({ devAuth: true });
  owner = await server.token('Fuzz owner');
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title: 'Target' },
  });
  streamId = CreatedStreamSchema.parse(await created.json()).stream.id;
});
afterAll(() => server?.close());

describe('schema-driven fuzzing of the REST API', () => {
  it('answers thousands of malformed requests with 4xx envelopes, writes nothing, never 500s', async () => {
    const rnd = random(20261122);
    const before = StreamSchema.parse(
      await (await server.request(`/v1/streams/${streamId}`, { token: owner.token })).json(),
    );
    const countMine = async () =>
      (
        (await (
          await server.request('/v1/me/streams?limit=100', { token: owner.token })
        ).json()) as { items: unknown[] }
      ).items.length;
    const streamsBefore = await countMine();

    type Case = {
      method: string;
      path: string;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    };
    const cases: Case[] = [];
    const targets: Array<[string, string, z.ZodMiniObject, Record<string, unknown>]> = [
      [
        'POST',
        '/v1/streams',
        CreateStreamInputSchema as unknown as z.ZodMiniObject,
        { title: 'ok' },
      ],
      [
        'PATCH',
        `/v1/streams/${streamId}`,
        UpdateStreamInputSchema as unknown as z.ZodMiniObject,
        { title: 'ok' },
      ],
      ['PUT', `/v1/streams/${streamId}/invites`, StreamInvitesSchema, { userIds: [] }],
      [
        'PATCH',
        '/v1/channels/me',
        UpdateChannelInputSchema as unknown as z.ZodMiniObject,
        { description: 'ok' },
      ],
      ['POST', '/v1/dev/token', DevTokenRequestSchema, { displayName: 'ok' }],
    ];
    for (const [method, path, schema, valid] of targets) {
      for (const body of invalidBodies(schema, valid, rnd, 500)) cases.push({ method, path, body });
      for (const raw of ['{', '{"title":', 'null', '[]', '"str"', '\u0000', '{"title":"x"}}']) {
        cases.push({ method, path, raw });
      }
    }
    const badIds = [
      '..%2F..%2Fetc%2Fpasswd',
      'x'.repeat(300),
      '%00',
      'str_%F0%9F%8E%89',
      'a%20b',
      "'%3B--",
    ];
    for (const id of badIds) {
      for (const suffix of ['', '/start', '/end', '/cancel', '/key', '/invites']) {
        cases.push({
          method: suffix && suffix !== '/invites' ? 'POST' : 'GET',
          path: `/v1/streams/${id}${suffix}`,
        });
      }
      cases.push({ method: 'PUT', path: `/v1/channels/${id}/follow` });
    }
    const badQueries = [
      'status=nope',
      'limit=0',
      'limit=-5',
      'limit=abc',
      'limit=101',
      'cursor=%00',
      'cursor=eyJ4IjoxfQ',
      'recorded=maybe',
      'channel=..%2F',
      'category=',
      'unknown=1',
    ];
    for (const q of badQueries) cases.push({ method: 'GET', path: `/v1/streams?${q}` });
    const badAuth = [
      'Bearer',
      'Bearer ',
      'Basic abc',
      'Bearer a.b.c',
      `Bearer ${'x'.repeat(5000)}`,
      'bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    ];
    for (const authorization of badAuth) {
      cases.push({
        method: 'POST',
        path: '/v1/streams',
        body: { title: 'x' },
        headers: { authorization },
      });
      cases.push({ method: 'GET', path: `/v1/streams/${streamId}`, headers: { authorization } });
    }

    const statuses = new Map<number, number>();
    for (const c of cases) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${owner.token}`,
        'content-type': 'application/json',
        ...c.headers,
      };
      const response = await fetch(`${server.url}${c.path}`, {
        method: c.method,
        headers,
        ...(c.raw !== undefined
          ? { body: c.raw }
          : c.body !== undefined
            ? { body: JSON.stringify(c.body) }
            : {}),
      });
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(
        response.status,
        `${c.method} ${c.path} ${JSON.stringify(c.body ?? c.raw)} -> ${text}`,
      ).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.parse(text)).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
      });
    }
    expect(cases.length).toBeGreaterThan(2000);
    const after = StreamSchema.parse(
      await (await server.request(`/v1/streams/${streamId}`, { token: owner.token })).json(),
    );
    expect(after).toEqual(before);
    expect(await countMine()).toBe(streamsBefore);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  }, 120_000);
});
