import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreatedStreamSchema, WEBHOOK_SIGNATURE_HEADER, WebhookEventSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';

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

let receiver: Server;
let failuresLeft = 0;
const deliveries: Array<{ type: string; valid: boolean; attempt: number }> = [];
let attempts = 0;
let server: TestServer;

beforeAll(async () => {
  receiver = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      attempts++;
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end();
        return;
      }
      const event = WebhookEventSchema.parse(JSON.parse(body));
      deliveries.push({
        type: event.type,
        valid: verify(req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined, body),
        attempt: attempts,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  server = await startTestServer({
    webhooks: [{ url: `http://127.0.0.1:${port}/hooks`, secret: SECRET }],
    webhookRetry: { baseDelayMs: 50, maxAttempts: 4, timeoutMs: 2000 },
  });
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver.close(resolve));
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
