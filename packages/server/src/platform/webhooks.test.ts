import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreatedStreamSchema,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SIGNATURE_HEADER,
  WebhookEventSchema,
} from '@onair/protocol';
import { verifyWebhook } from '@onair/protocol/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { scratchDatabase } from '../../test/scratch-database.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.js';
import { createServer, type ServerOptions } from '../index.js';

const SECRET = 'whsec_test_0123456789abcdef';
/** The secret being rotated out: the main server signs with both. */
const PREVIOUS_SECRET = 'whsec_old_0123456789abcdef';

/** Verifies a delivery the way a host app would, by its first `v1=` (the current secret). */
function verify(header: string | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})(?:,v1=[0-9a-f]{64})*$/.exec(header ?? '');
  if (!match) return false;
  const [, t, mac] = match as unknown as [string, string, string];
  if (Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(mac, 'hex'));
}

let receiver: WebhookReceiver;
let failuresLeft = 0;
const deliveries: Array<{
  type: string;
  valid: boolean;
  attempt: number;
  body: string;
  signature: string;
}> = [];
let attempts = 0;
let server: TestServer;

/** Creates a stream scheduled an hour ahead. */
async function scheduledStream(title: string, owner: { token: string }) {
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title, scheduledAt: new Date(Date.now() + 3600_000).toISOString() },
  });
  return CreatedStreamSchema.parse(await created.json()).stream;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver((body, req) => {
    attempts++;
    if (failuresLeft > 0) {
      failuresLeft--;
      return 503;
    }
    const event = WebhookEventSchema.parse(JSON.parse(body));
    deliveries.push({
      type: event.type,
      valid: verify(req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined, body),
      attempt: attempts,
      body,
      signature: String(req.headers[WEBHOOK_SIGNATURE_HEADER]),
    });
    return 204;
  });
  server = await startTestServer({
    // stream.summary has its own test (domains/analytics/summaries.test.ts).
    webhooks: [
      {
        url: receiver.url,
        secret: [SECRET, PREVIOUS_SECRET],
        events: WEBHOOK_EVENT_TYPES.filter((type) => type !== 'stream.summary'),
      },
    ],
    webhookRetry: { baseDelayMs: 50, maxAttempts: 4, timeoutMs: 2000 },
  });
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('webhooks', () => {
  it('posts signed scheduled, started and ended events, retrying failures with backoff', async () => {
    const owner = await server.token('Hooked');
    failuresLeft = 2;
    const stream = await scheduledStream('Hooks', owner);
    await expect
      .poll(() => deliveries.map((d) => d.type), { timeout: 5000 })
      .toEqual(['stream.scheduled']);
    expect(attempts).toBe(3);

    await server.request(`/v1/streams/${stream.id}/start`, { method: 'POST', token: owner.token });
    await server.request(`/v1/streams/${stream.id}/end`, { method: 'POST', token: owner.token });
    await expect
      .poll(() => deliveries.map((d) => d.type).sort(), { timeout: 5000 })
      .toEqual(['stream.ended', 'stream.scheduled', 'stream.started']);
    expect(deliveries.every((d) => d.valid)).toBe(true);
    // The SDK's own check (Web Crypto) accepts what the server signs, with either secret while
    // one is rotated, and nothing altered or signed with another.
    for (const delivery of deliveries) {
      for (const secret of [SECRET, PREVIOUS_SECRET]) {
        const event = await verifyWebhook(delivery.body, delivery.signature, secret);
        expect(event.type).toBe(delivery.type);
      }
      await expect(
        verifyWebhook(delivery.body.replace('Hooks', 'Hookz'), delivery.signature, SECRET),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(
        verifyWebhook(delivery.body, delivery.signature, 'whsec_never_0123456789abcdef'),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('posts stream.scheduled again on a reschedule, and stream.cancelled on a cancel', async () => {
    const owner = await server.token('Rescheduler');
    const stream = await scheduledStream('Moved', owner);
    const later = new Date(Date.now() + 7200_000).toISOString();
    await server.call('PATCH', `/v1/streams/${stream.id}`, owner, { scheduledAt: later });
    // The same instant written another way is no reschedule: no third stream.scheduled.
    const sameInstant = new Date(Date.parse(later) + 3600_000).toISOString().replace('Z', '+01:00');
    await server.call('PATCH', `/v1/streams/${stream.id}`, owner, { scheduledAt: sameInstant });
    await server.request(`/v1/streams/${stream.id}/cancel`, { method: 'POST', token: owner.token });
    const mine = () =>
      deliveries
        .filter((d) => d.body.includes(stream.id))
        .map((d) => WebhookEventSchema.parse(JSON.parse(d.body)));
    await expect
      .poll(
        () =>
          mine()
            .map((e) => e.type)
            .sort(),
        { timeout: 5000 },
      )
      .toEqual(['stream.cancelled', 'stream.scheduled', 'stream.scheduled']);
    expect(mine().find((e) => e.type === 'stream.cancelled')?.data.stream.status).toBe('cancelled');
    expect(mine().some((e) => e.data.stream.scheduledAt === later)).toBe(true);
  });

  it('gives up after the configured attempts', async () => {
    const owner = await server.token('Unlucky');
    const before = attempts;
    const delivered = deliveries.length;
    failuresLeft = 100;
    const created = await server.request('/v1/streams', {
      method: 'POST',
      token: owner.token,
      json: { title: 'x' },
    });
    const { stream } = CreatedStreamSchema.parse(await created.json());
    await server.request(`/v1/streams/${stream.id}/start`, { method: 'POST', token: owner.token });
    await expect.poll(() => attempts - before, { timeout: 5000 }).toBe(4);
    await new Promise((r) => setTimeout(r, 500));
    expect(attempts - before).toBe(4);
    expect(deliveries.length).toBe(delivered);
    failuresLeft = 0;
  });
});

describe('webhook outbox', () => {
  it('delivers an event pending when the server stopped after it restarts, once, under the same id', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'onair-outbox-'));
    const base = process.env.ONAIR_TEST_DATABASE_URL;
    const database = base ? await scratchDatabase(base) : undefined;
    let up = false;
    const failed: string[] = [];
    const delivered: Array<{ id: string; header: string | undefined; valid: boolean }> = [];
    const endpoint = await startWebhookReceiver((body, req) => {
      const event = WebhookEventSchema.parse(JSON.parse(body));
      if (!up) {
        failed.push(event.id);
        return 503;
      }
      delivered.push({
        id: event.id,
        header: req.headers[WEBHOOK_EVENT_ID_HEADER] as string | undefined,
        valid: verify(req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined, body),
      });
      return 204;
    });
    const options: ServerOptions = {
      jwtSecret: randomBytes(32).toString('hex'),
      logLevel: 'silent',
      media: { enabled: false },
      restRateLimit: false,
      redisUrl: undefined,
      databaseUrl: database?.url,
      dataDir,
      webhooks: [{ url: endpoint.url, secret: SECRET }],
      webhookRetry: { baseDelayMs: 100, maxAttempts: 20, timeoutMs: 2000 },
    };
    try {
      const first = await createServer(options);
      const token = await first.issueToken('usr_outbox', 'Outbox');
      const created = await fetch(`${first.url}/v1/streams`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'While the endpoint is down',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
        }),
      });
      expect(created.status).toBe(201);
      await expect.poll(() => failed.length, { timeout: 5000 }).toBeGreaterThan(0);
      await first.close();
      const eventId = failed[0];
      expect(new Set(failed)).toEqual(new Set([eventId]));

      up = true;
      const second = await createServer(options);
      try {
        await expect.poll(() => delivered.length, { timeout: 10_000 }).toBe(1);
        expect(delivered[0]).toEqual({ id: eventId, header: eventId, valid: true });
        // Delivered rows leave the outbox: nothing comes again.
        await new Promise((r) => setTimeout(r, 1000));
        expect(delivered).toHaveLength(1);
      } finally {
        await second.close();
      }
      // Nor after another restart.
      const third = await createServer(options);
      await new Promise((r) => setTimeout(r, 500));
      await third.close();
      expect(delivered).toHaveLength(1);
    } finally {
      await endpoint.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('verifyWebhook (@onair/protocol/webhooks) on a real delivery', () => {
  const now = Date.now();
  const t = Math.floor(now / 1000);
  /** The body of a delivery this server made, as the receiver got it. */
  let body = '';
  beforeAll(async () => {
    const stream = await scheduledStream('Verified', await server.token('Verified'));
    const deadline = Date.now() + 5000;
    while (!body && Date.now() < deadline) {
      body = deliveries.find((d) => d.body.includes(stream.id))?.body ?? '';
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (!body) throw new Error('the server delivered no event for the stream in 5 s');
  });
  /** Signed here with node:crypto, independently of the Web Crypto code under test. */
  const sign = (text: string, at = t, key = SECRET) =>
    `t=${at},v1=${createHmac('sha256', key).update(`${at}.${text}`).digest('hex')}`;
  const check = (text: string, header: string | undefined, options = {}) =>
    verifyWebhook(text, header, SECRET, { now: () => now, ...options });
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    );

  it('accepts the event within the tolerance either way, and while a secret is rotated', async () => {
    expect((await check(body, sign(body))).id).toBe(JSON.parse(body).id);
    expect(await codeOf(check(body, sign(body, t - 299)))).toBe('accepted');
    expect(await codeOf(check(body, sign(body, t + 299)))).toBe('accepted');
    const rotated = `${sign(body, t, 'whsec_old')},${sign(body).split(',')[1]}`;
    expect(await codeOf(check(body, rotated))).toBe('accepted');
    expect(await codeOf(check(body, sign(body, t - 3600), { toleranceSeconds: 4000 }))).toBe(
      'accepted',
    );
  });

  it('refuses another secret, a stale or malformed header, and a signed non-event, typed', async () => {
    expect(await codeOf(check(body, sign(body, t, 'whsec_other')))).toBe('UNAUTHORIZED');
    expect(await codeOf(check(body, sign(body, t - 301)))).toBe('UNAUTHORIZED');
    expect(await codeOf(check(body, sign(body, t + 301)))).toBe('UNAUTHORIZED');
    const header = sign(body);
    const upperHex = header.replace(/v1=(\w+)/, (_, hex: string) => `v1=${hex.toUpperCase()}`);
    for (const bad of [undefined, '', `t=${t}`, `v1=${'0'.repeat(64)}`, upperHex]) {
      expect(await codeOf(check(body, bad))).toBe('UNAUTHORIZED');
    }
    // Only the first four entries are read: a header cannot make it compute without end.
    const wrong = `v1=${'0'.repeat(64)}`;
    const padded = `t=${t},${Array(4).fill(wrong).join(',')},${header.split(',')[1]}`;
    expect(await codeOf(check(body, padded))).toBe('UNAUTHORIZED');
    expect(await codeOf(check('not json', sign('not json')))).toBe('UNPROCESSABLE');
    expect(await codeOf(check('{"id":1}', sign('{"id":1}')))).toBe('UNPROCESSABLE');
    await expect(verifyWebhook(body, header, '')).rejects.toThrow(TypeError);
    await expect(check(body, header, { toleranceSeconds: Number.NaN })).rejects.toThrow(TypeError);
  });
});
