import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChannelStore } from '../backend/channels.js';
import { createWebhookReceiver } from '../backend/onair-webhook.js';
import { createRequestHandler } from '../backend/routes.js';
import { SessionStore } from '../backend/sessions.js';

/*
 * The routes on their own (no OnAir, no pages): a bug's details stay in the
 * log, the answer says only that something went wrong.
 */
let server: Server;
let url: string;
const sessions = new SessionStore();

beforeAll(async () => {
  const origins: string[] = [];
  server = createServer(
    createRequestHandler({
      staticDir: '/nonexistent',
      // A bug deep in signing: its message names a file and a claim.
      signToken: () => Promise.reject(new Error('/srv/secrets/jwt.key: "sub" claim invalid')),
      channels: new ChannelStore([{ id: 'general', name: '#general' }]),
      onairUrl: () => 'http://127.0.0.1:9',
      sessions,
      origins,
      webhook: createWebhookReceiver(new ChannelStore([]), 'unused-secret'),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origins.push(url);
});

afterAll(async () => {
  sessions.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('team chat routes', () => {
  it('answer an unexpected error with a fixed 500, and log its stack only', async () => {
    const signedIn = await fetch(`${url}/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ memberId: 'mia' }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const logged: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
    try {
      const failed = await fetch(`${url}/api/onair-token`, { headers: { cookie } });
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ code: 'INTERNAL', message: 'Something went wrong' });
    } finally {
      write.mockRestore();
    }
    const log = logged.join('');
    expect(log).toContain('team-chat: a request failed: Error: /srv/secrets/jwt.key');
    expect(log).toMatch(/\n\s+at /);
    expect(log).not.toContain(cookie.split('=')[1]);
  });
});
