import { DevTokenResponseSchema } from '@onair/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { OnAirClient } from './client.js';

/*
 * A relative baseUrl in a browser: the server on the page's own origin (the
 * test proxy mounts the real server's routes there, as a host app would).
 */
const clients: OnAirClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

async function devToken(displayName: string): Promise<string> {
  const response = await fetch('/v1/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return DevTokenResponseSchema.parse(await response.json()).token;
}

describe('OnAirClient with a relative baseUrl', () => {
  it("'/' reaches the page's origin over REST and realtime", async () => {
    const client = new OnAirClient({ baseUrl: '/', token: await devToken('Same origin') });
    clients.push(client);
    expect(client.baseUrl).toBe(location.origin);
    const { stream } = await client.streams.create({ title: 'Same-origin deployment' });
    await client.streams.start(stream.id);
    await client.realtime.holdRoom(stream.id).joined;
    const sent = await client.realtime.request('chat:send', { streamId: stream.id, text: 'hi' });
    expect(sent.text).toBe('hi');
    expect(client.resolveUrl(`/hls/${stream.id}/master.m3u8`)).toBe(
      `${location.origin}/hls/${stream.id}/master.m3u8`,
    );
  });

  it("'/api' prefixes REST and HLS URLs on the page's origin", async () => {
    const requested: string[] = [];
    const client = new OnAirClient({
      baseUrl: '/api',
      token: 'tok',
      // Only the URL matters here: answer every call with an empty page.
      fetch: async (input) => {
        requested.push(String(input));
        return Response.json({ items: [], nextCursor: null });
      },
    });
    clients.push(client);
    expect(client.baseUrl).toBe(`${location.origin}/api`);
    await client.streams.listLive();
    expect(requested.map((url) => new URL(url).origin + new URL(url).pathname)).toEqual([
      `${location.origin}/api/v1/streams`,
    ]);
    expect(client.resolveUrl('/hls/str_1/master.m3u8')).toBe(
      `${location.origin}/api/hls/str_1/master.m3u8`,
    );
  });
});
