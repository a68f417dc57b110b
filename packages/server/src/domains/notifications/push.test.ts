import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorEnvelopeSchema } from '@onair/protocol';
import { type Notification, PushKeySchema } from '@onair/protocol/notifications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { checkEndpoint, PushSender, type PushSubscriptionRepository } from './push.js';

/*
 * Web Push (#21 item 1) with a real server and a push service of the test's
 * own on loopback: subscriptions, a go-live pushed encrypted to the
 * browser's keys (decrypted here per RFC 8291), VAPID, gone endpoints forgotten.
 */
const vapid = webpush.generateVAPIDKeys();
let server: TestServer;
let pushService: Server;
let serviceUrl = '';
let owner: { token: string; userId: string };
let fan: { token: string; userId: string };
const received: Array<{ path: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
/** What the push service answers a path with (default 201). */
const answers = new Map<string, number>();

/** A browser's subscription: its P-256 key pair and auth secret, as `PushSubscription.toJSON()`. */
function browser(path: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    json: {
      endpoint: `${serviceUrl}${path}`,
      expirationTime: null,
      keys: {
        p256dh: ecdh.getPublicKey().toString('base64url'),
        auth: auth.toString('base64url'),
      },
    },
  };
}

/** Decrypts an `aes128gcm` push (RFC 8188 record, keys per RFC 8291) as the browser would. */
function decrypt(body: Buffer, ecdh: ReturnType<typeof createECDH>, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20] ?? 0;
  const senderKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(senderKey);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, info, 32));
  const key = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16),
  );
  const nonce = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12),
  );
  const decipher = createDecipheriv('aes-128-gcm', key, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([
    decipher.update(record.subarray(0, record.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then padding zeros.
  return plain.subarray(0, plain.lastIndexOf(2)).toString('utf8');
}

const call: TestServer['call'] = (...args) => server.call(...args);

beforeAll(async () => {
  pushService = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(answers.get(request.url ?? '') ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  server = await startTestServer({
    webPush: {
      publicKey: vapid.publicKey,
      privateKey: vapid.privateKey,
      subject: 'mailto:ops@onair.test',
      allowInsecureEndpoints: true,
    },
  });
  owner = await server.token('Push host', { roles: ['broadcaster'] });
  fan = await server.token('Push fan');
  expect((await call('PUT', `/v1/channels/${owner.userId}/follow`, fan)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => pushService?.close(resolve));
});

describe(`Web Push (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('pushes a go-live to every browser a follower subscribed, encrypted to its keys, and forgets gone ones', async () => {
    const key = PushKeySchema.parse((await call('GET', '/v1/push/key')).body);
    expect(key.publicKey).toBe(vapid.publicKey);
    const laptop = browser('/push/laptop');
    const phone = browser('/push/phone');
    for (const device of [laptop, phone]) {
      expect((await call('PUT', '/v1/me/push-subscriptions', fan, device.json)).status).toBe(204);
    }
    // Subscribing again is harmless (the same endpoint, stored once).
    expect((await call('PUT', '/v1/me/push-subscriptions', fan, laptop.json)).status).toBe(204);
    answers.set('/push/phone', 410);

    const id = await server.liveStream(owner.token, { title: 'Pushed live' });
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
    const toLaptop = received.find((r) => r.path === '/push/laptop');
    expect(toLaptop?.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(toLaptop?.headers.ttl)).toBeGreaterThan(0);
    expect(toLaptop?.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
    expect(toLaptop?.headers.authorization).toContain(`k=${vapid.publicKey}`);
    const pushed = JSON.parse(
      decrypt(toLaptop?.body ?? Buffer.alloc(0), laptop.ecdh, laptop.auth),
    ) as Notification;
    expect(pushed).toMatchObject({
      kind: 'live',
      stream: { id, title: 'Pushed live', owner: { id: owner.userId } },
      read: false,
    });

    // The phone's push service said 410: the next go-live reaches the laptop only.
    received.length = 0;
    await server.liveStream(owner.token, { title: 'Again' });
    await expect
      .poll(() => received.map((r) => r.path), { timeout: 10_000 })
      .toEqual(['/push/laptop']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(1);

    // Unsubscribed: nothing more.
    expect(
      (await call('DELETE', '/v1/me/push-subscriptions', fan, { endpoint: laptop.json.endpoint }))
        .status,
    ).toBe(204);
    received.length = 0;
    await server.liveStream(owner.token, { title: 'Third' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(0);
  });

  it('checks subscriptions: signed in, well-formed keys, a public https: endpoint', async () => {
    const device = browser('/push/x');
    expect((await call('PUT', '/v1/me/push-subscriptions', undefined, device.json)).status).toBe(
      401,
    );
    for (const bad of [
      { ...device.json, keys: { ...device.json.keys, p256dh: 'short' } },
      { ...device.json, keys: { ...device.json.keys, auth: '!!!!!!!!!!!!!!!!!!!!!!' } },
      { ...device.json, extra: true },
      { endpoint: device.json.endpoint },
    ]) {
      const refused = await call('PUT', '/v1/me/push-subscriptions', fan, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(ErrorEnvelopeSchema.parse(refused.body).code).toBe('VALIDATION_FAILED');
    }
    // Forgetting one checks the endpoint as storing it does: a NUL is refused, not a 500.
    for (const method of ['PUT', 'DELETE']) {
      const refused = await call(method, '/v1/me/push-subscriptions', fan, {
        ...(method === 'PUT' ? device.json : {}),
        endpoint: `${device.json.endpoint}\u0000`,
      });
      expect([method, refused.status, ErrorEnvelopeSchema.parse(refused.body).code]).toEqual([
        method,
        400,
        'VALIDATION_FAILED',
      ]);
    }
    // Without allowInsecureEndpoints: only https: on public hosts.
    for (const endpoint of [
      'http://push.example.com/x',
      'https://127.0.0.1/x',
      'https://localhost/x',
      'https://10.1.2.3/x',
      'https://192.168.0.9/x',
      'https://[::1]/x',
      'https://user:pass@push.example.com/x',
      'ftp://push.example.com/x',
      'not a url',
    ]) {
      expect(() => checkEndpoint(endpoint), endpoint).toThrow(/endpoint/);
    }
    expect(checkEndpoint('https://fcm.googleapis.com/fcm/send/abc').host).toBe(
      'fcm.googleapis.com',
    );
    expect(checkEndpoint('http://127.0.0.1:9/x', true).port).toBe('9');
  });

  it('answers NOT_FOUND on a server without Web Push', async () => {
    const plain = await startTestServer();
    try {
      const key = await plain.call('GET', '/v1/push/key');
      expect(key.status).toBe(404);
      expect(ErrorEnvelopeSchema.parse(key.body).code).toBe('NOT_FOUND');
    } finally {
      await plain.close();
    }
  });

  it('resolves each push service host first: a name leading to a private address gets nothing', async () => {
    const sent: string[] = [];
    const expired: string[] = [];
    const keys = browser('/x').json.keys;
    const repository = {
      of: async () => [
        { endpoint: 'https://localhost/push/a', userId: 'usr_a', ...keys },
        { endpoint: 'https://no-such-host.invalid/push/b', userId: 'usr_a', ...keys },
      ],
      expire: async (endpoints: readonly string[]) => {
        expired.push(...endpoints);
      },
    } as unknown as PushSubscriptionRepository;
    const logged: string[] = [];
    const sender = new PushSender(
      repository,
      {
        publicKey: vapid.publicKey,
        privateKey: vapid.privateKey,
        subject: 'mailto:ops@onair.test',
      },
      (message) => logged.push(message),
      async (subscription) => {
        sent.push(subscription.endpoint);
        return { statusCode: 201 };
      },
    );
    await sender.push({} as Notification, ['usr_a']);
    expect(sent).toEqual([]);
    // localhost is private: forgotten; a name that does not resolve is kept for next time.
    expect(expired).toEqual(['https://localhost/push/a']);
    expect(logged).toEqual(['web push: 1 push(es) to no-such-host.invalid failed']);
  });
});
