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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { scratchDatabase } from '../../test/scratch-database.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.js';
import { createServer, type ServerOptions } from '../index.js';

const SECRET = 'whsec_test_0123456789abcdef';

/** Verifies a delivery the way a host app would. */
function verify(header: string | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, mac] = match as unknown as [string, string, string];
  if (Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(mac, 'hex'));
}

let receiver: WebhookReceiver;
let failuresLeft = 0;
const deliveries: Array<{ type: string; valid: boolean; attempt: number }> = [];
let attempts = 0;
let server: TestServer;

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
    });
    return 204;
  });
  server = await startTestServer({
    // stream.summary has its own test (domains/analytics/summaries.test.ts).
    webhooks: [
      {
        url: receiver.url,
        secret: SECRET,
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
    const created = await server.request('/v1/streams', {
      method: 'POST',
      token: owner.token,
      json: { title: 'Hooks', scheduledAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    const { stream } = CreatedStreamSchema.parse(await created.json());
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
