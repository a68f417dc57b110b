import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { OnAirServer } from '@onair/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer } from '../../test/real-server.js';
import { OnAirClient } from './client.js';

// A real server, reached directly and through a proxy that mounts it under /api.
let server: OnAirServer;
let proxy: Server;
let proxyUrl: string;
const clients: OnAirClient[] = [];

/** Forwards `/api/*` (HTTP and WebSocket upgrades) to the server with the prefix removed. */
function prefixProxy(target: URL): Server {
  const strip = (url = '') => (url.startsWith('/api/') ? url.slice(4) : undefined);
  const proxied = createHttpServer((req, res) => {
    const path = strip(req.url);
    if (!path) return void res.writeHead(404).end();
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        path,
        method: req.method,
        headers: req.headers,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxied.on('upgrade', (req, socket, head) => {
    const path = strip(req.url);
    if (!path) return void socket.destroy();
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`);
      upstream.write(`${req.method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
  });
  return proxied;
}

beforeAll(async () => {
  server = await startRealServer();
  proxy = prefixProxy(new URL(server.url));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.close();
});

/** A token function for a new user, counting its calls. */
async function countingProvider(name: string) {
  const token = await server.issueToken(`usr_${name}_${randomBytes(3).toString('hex')}`, name);
  const counted = Object.assign(
    async () => {
      counted.calls++;
      return token;
    },
    { calls: 0 },
  );
  return counted;
}

describe('OnAirClient against a real server', () => {
  for (const mount of ['root', '/api prefix'] as const) {
    it(`shares one token call between REST and realtime (${mount})`, async () => {
      const provider = await countingProvider('Shared');
      const client = new OnAirClient({
        baseUrl: mount === 'root' ? server.url : `${proxyUrl}/api`,
        token: provider,
      });
      clients.push(client);
      const { stream } = await client.streams.create({ title: `One token call (${mount})` });
      await client.streams.start(stream.id);
      await Promise.all([
        client.realtime.holdRoom(stream.id).joined,
        client.streams.get(stream.id),
        client.streams.listLive(),
      ]);
      const sent = await client.realtime.request('chat:send', { streamId: stream.id, text: 'hi' });
      expect(sent.text).toBe('hi');
      await client.streams.get(stream.id);
      expect(provider.calls).toBe(1);
    });
  }

  it('refreshes ahead of expiry once for both REST and realtime', async () => {
    const userId = `usr_short_${randomBytes(3).toString('hex')}`;
    // Whole seconds: this token lives 3 to 4 s and is replaced at 80 % of that.
    const tokens = [
      await server.issueToken(userId, 'Short', {}, 4),
      await server.issueToken(userId, 'Short', {}, 3600),
    ];
    let calls = 0;
    const client = new OnAirClient({ baseUrl: server.url, token: async () => tokens[calls++] });
    clients.push(client);
    const { stream } = await client.streams.create({ title: 'Short token' });
    await client.streams.start(stream.id);
    await client.realtime.holdRoom(stream.id).joined;
    expect(calls).toBe(1);

    // Past the first token's expiry: realtime replaced it on its own, REST uses the new one.
    const [, payload = ''] = (tokens[0] as string).split('.');
    const exp = JSON.parse(Buffer.from(payload, 'base64url').toString()).exp * 1000;
    await new Promise((resolve) => setTimeout(resolve, exp - Date.now() + 100));
    expect(calls).toBe(2);
    await client.streams.get(stream.id);
    const sent = await client.realtime.request('chat:send', { streamId: stream.id, text: 'on' });
    expect(sent.author.id).toBe(userId);
    expect(calls).toBe(2);
  });
});
