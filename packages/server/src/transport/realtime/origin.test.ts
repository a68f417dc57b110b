import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * The socket.io handshake checks the page's Origin against the CORS allow-list:
 * a page on another origin must not open a socket with the visitor's token.
 */
type Transport = 'websocket' | 'polling';

/** Opens a socket with the given Origin header; resolves whether the handshake was accepted. */
function handshake(url: string, transport: Transport, origin?: string): Promise<boolean> {
  const socket = connect(url, {
    transports: [transport],
    reconnection: false,
    forceNew: true,
    ...(origin === undefined ? {} : { extraHeaders: { origin } }),
  });
  return new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('connect_error', () => resolve(false));
  }).finally(() => socket.disconnect());
}

const TRANSPORTS: Transport[] = ['websocket', 'polling'];

describe('realtime handshake Origin check', () => {
  describe('default (same origin only)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.close());

    it.each(TRANSPORTS)('refuses a page on another origin (%s)', async (transport) => {
      expect(await handshake(server.url, transport, 'https://evil.example')).toBe(false);
      expect(await handshake(server.url, transport, 'null')).toBe(false);
    });

    it.each(TRANSPORTS)(
      'accepts the same origin and clients without Origin (%s)',
      async (transport) => {
        expect(await handshake(server.url, transport, server.url)).toBe(true);
        // Same host, other scheme (a TLS proxy in front): the host decides, as the brief says.
        expect(await handshake(server.url, transport, server.url.replace('http:', 'https:'))).toBe(
          true,
        );
        // Native apps and node clients send no Origin.
        expect(await handshake(server.url, transport)).toBe(true);
      },
    );
  });

  describe('with corsOrigins', () => {
    let listed: TestServer;
    let any: TestServer;
    beforeAll(async () => {
      listed = await startTestServer({ corsOrigins: ['https://app.example'] });
      any = await startTestServer({ corsOrigins: ['*'] });
    });
    afterAll(async () => {
      await listed?.close();
      await any?.close();
    });

    it.each(TRANSPORTS)('accepts listed origins and refuses others (%s)', async (transport) => {
      expect(await handshake(listed.url, transport, 'https://app.example')).toBe(true);
      expect(await handshake(listed.url, transport, listed.url)).toBe(true);
      expect(await handshake(listed.url, transport, 'https://evil.example')).toBe(false);
      expect(await handshake(listed.url, transport, 'https://app.example.evil.example')).toBe(
        false,
      );
    });

    it.each(TRANSPORTS)("accepts any origin with '*' (%s)", async (transport) => {
      expect(await handshake(any.url, transport, 'https://evil.example')).toBe(true);
    });
  });
});
