import { createECDH } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type OnAirServer } from '@onair/server';
import type { TestProject } from 'vitest/node';

/** One push the server sent to the test push service. */
export interface ReceivedPush {
  /** `vapid t=<JWT>, k=<public key>` (RFC 8292). */
  authorization: string;
  contentEncoding: string;
  ttl: string;
  /** The encrypted payload (RFC 8291, `aes128gcm`), base64. */
  body: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    onairUrl: string;
    /** The server's VAPID public key (uncompressed P-256 point, base64url). */
    vapidPublicKey: string;
    /**
     * A push service on loopback for subscriptions' endpoints: `<url><name>`
     * records each POST to it and answers 201; a GET of the same URL (CORS
     * open) returns what it received, `ReceivedPush[]`, oldest first.
     */
    pushServiceUrl: string;
  }
}

let server: OnAirServer | undefined;
let pushService: Server | undefined;

/** Most bytes of a push body kept (Web Push payloads are at most 4 KiB). */
const MAX_PUSH_BYTES = 8 * 1024;

/**
 * A stand-in for browsers' push services, on 127.0.0.1 only: what the OnAir
 * server pushes to subscriptions stays on this machine, and tests read it back.
 */
async function startPushService(): Promise<string> {
  const received = new Map<string, ReceivedPush[]>();
  pushService = createHttpServer((request, response) => {
    const path = request.url ?? '/';
    if (request.method === 'GET') {
      response
        .writeHead(200, {
          'content-type': 'application/json',
          'access-control-allow-origin': '*',
          'cache-control': 'no-store',
        })
        .end(JSON.stringify(received.get(path) ?? []));
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PUSH_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const list = received.get(path) ?? [];
      list.push({
        authorization: String(request.headers.authorization ?? ''),
        contentEncoding: String(request.headers['content-encoding'] ?? ''),
        ttl: String(request.headers.ttl ?? ''),
        body: Buffer.concat(chunks).toString('base64'),
      });
      received.set(path, list);
      response.writeHead(201).end();
    });
  });
  const service = pushService;
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(service.address() as AddressInfo).port}/push/`;
}

/**
 * Global setup of the browser test project: a real OnAir server (embedded
 * PGlite, real media plane) on a random port that the element and React
 * tests reach through the test page's origin, pushing (Web Push) to a push
 * service of the setup's own on loopback.
 */
export async function setup(project: TestProject): Promise<void> {
  const pushServiceUrl = await startPushService();
  // A VAPID key pair (P-256) for this run: the public key uncompressed, both base64url.
  const vapid = createECDH('prime256v1');
  vapid.generateKeys();
  const vapidPublicKey = vapid.getPublicKey().toString('base64url');
  // Many writes from one address in a few seconds: no REST rate limit here (it has its own test).
  server = await createServer({
    devAuth: true,
    logLevel: 'error',
    databaseUrl: undefined,
    restRateLimit: false,
    // Every test page connects from 127.0.0.1 through the test proxy: no per-address cap.
    maxConnectionsPerIp: 0,
    // The node test project runs alongside: no fixed RTMP port.
    media: { rtmpPort: 0 },
    webPush: {
      publicKey: vapidPublicKey,
      privateKey: vapid.getPrivateKey().toString('base64url'),
      subject: 'mailto:ops@onair.test',
      // Tests' subscriptions point at the loopback push service above (http:, 127.0.0.1).
      allowInsecureEndpoints: true,
    },
  });
  // The browser reaches it through scripts/onair-test-proxy.ts, same-origin.
  process.env.ONAIR_TEST_URL = server.url;
  project.provide('onairUrl', server.url);
  project.provide('vapidPublicKey', vapidPublicKey);
  project.provide('pushServiceUrl', pushServiceUrl);
}

export async function teardown(): Promise<void> {
  await server?.close();
  const service = pushService;
  if (service) await new Promise((resolve) => service.close(resolve));
}
