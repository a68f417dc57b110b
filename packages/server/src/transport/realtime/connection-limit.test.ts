import { ErrorEnvelopeSchema } from '@onair/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { TokenVerifier } from '../../platform/auth/tokens.js';

const servers: TestServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/**
 * Connects as a client behind `forwardedFor` (when given), with `token` (when
 * given): the connected socket, or the refusal's envelope.
 */
async function open(server: TestServer, forwardedFor?: string, token?: string) {
  const socket = connect(server.url, {
    transports: ['websocket'],
    reconnection: false,
    ...(forwardedFor ? { extraHeaders: { 'x-forwarded-for': forwardedFor } } : {}),
    ...(token ? { auth: { token } } : {}),
  });
  sockets.push(socket);
  return new Promise<
    { socket: Socket } | { refused: ReturnType<typeof ErrorEnvelopeSchema.parse> }
  >((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error: Error & { data?: unknown }) =>
      resolve({ refused: ErrorEnvelopeSchema.parse(error.data) }),
    );
  });
}

const outcome = (result: Awaited<ReturnType<typeof open>>) =>
  'socket' in result ? 'connected' : result.refused.code;

describe('realtime connections per client address', () => {
  it('refuses the connection past the cap with RATE_LIMITED and frees a slot on disconnect', async () => {
    const server = await start({ maxConnectionsPerIp: 3 });
    const first = await open(server);
    for (let i = 0; i < 2; i++) expect(outcome(await open(server))).toBe('connected');
    const refused = await open(server);
    expect(outcome(refused)).toBe('RATE_LIMITED');
    if ('socket' in first) first.socket.disconnect();
    await expect.poll(async () => outcome(await open(server))).toBe('connected');
    expect(outcome(await open(server))).toBe('RATE_LIMITED');
  });

  it('counts a signed-in connection too, and a refused token takes no slot', async () => {
    const server = await start({ maxConnectionsPerIp: 2 });
    const user = await server.token('Tabs');
    const bad = connect(server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: 'nope' },
    });
    sockets.push(bad);
    await new Promise((resolve) => bad.once('connect_error', resolve));
    await server.socket(user.token);
    await server.socket(user.token);
    await expect(server.socket(user.token)).rejects.toMatchObject({
      data: { code: 'RATE_LIMITED' },
    });
  });

  it('refuses a connection past the cap before its token is verified', async () => {
    const server = await start({ maxConnectionsPerIp: 2 });
    const user = await server.token('Holder');
    const held = [
      await open(server, undefined, user.token),
      await open(server, undefined, user.token),
    ];
    expect(held.map(outcome)).toEqual(['connected', 'connected']);
    // The cap is checked first: a flood from one address costs no token verification.
    const verify = vi.spyOn(TokenVerifier.prototype, 'verify');
    expect(outcome(await open(server, undefined, 'not-a-token'))).toBe('RATE_LIMITED');
    expect(outcome(await open(server, undefined, user.token))).toBe('RATE_LIMITED');
    expect(outcome(await open(server))).toBe('RATE_LIMITED');
    expect(verify).not.toHaveBeenCalled();
    // Under the cap the token is verified as before, and a bad one is still UNAUTHORIZED.
    for (const result of held) if ('socket' in result) result.socket.disconnect();
    await expect
      .poll(async () => outcome(await open(server, undefined, 'not-a-token')))
      .toBe('UNAUTHORIZED');
    expect(verify).toHaveBeenCalled();
  });

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    const direct = await start({ maxConnectionsPerIp: 2 });
    const spoofed = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    const results = [];
    for (const address of spoofed) results.push(outcome(await open(direct, address)));
    expect(results).toEqual(['connected', 'connected', 'RATE_LIMITED']);

    const proxied = await start({ maxConnectionsPerIp: 2, trustProxy: ['loopback'] });
    const distinct = [];
    for (const address of spoofed) distinct.push(outcome(await open(proxied, address)));
    expect(distinct).toEqual(['connected', 'connected', 'connected']);
    const same = [];
    // The proxy appends the client's address; what the client wrote before it is not believed.
    for (const prefix of ['10.9.9.1', '10.9.9.2', '10.9.9.3']) {
      same.push(outcome(await open(proxied, `${prefix}, 203.0.113.7`)));
    }
    expect(same).toEqual(['connected', 'connected', 'RATE_LIMITED']);
  });
});
