import { afterEach, describe, expect, it } from 'vitest';
import type { OnAirClient } from '../transport/client.js';
import { signedInClient } from '../transport/test-fixtures.js';
import { endStream } from './broadcast.js';

/* endStream against the real server (the browser project's proxy). */
const clients: OnAirClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

async function liveStream(name: string) {
  const client = await signedInClient(name);
  clients.push(client);
  const { stream } = await client.streams.create({ title: `${name}'s stream` });
  await client.streams.start(stream.id);
  return { client, stream };
}

describe('endStream', () => {
  it('ends the stream on the server before the publisher stops, so "ended" means ended', async () => {
    const { client, stream } = await liveStream('Ender');
    const seen: string[] = [];
    await endStream(client, stream.id, {
      // What a host app does when the publisher reads `ended`: ask the server.
      stop: async () => {
        seen.push((await client.streams.get(stream.id)).status);
      },
    });
    expect(seen).toEqual(['ended']);
  });

  it('stops the publisher of a stream that is no longer live (ended elsewhere, or a retry)', async () => {
    const { client, stream } = await liveStream('Ended twice');
    await client.streams.end(stream.id);
    let stopped = 0;
    const publisher = {
      stop: async () => {
        stopped++;
      },
    };
    await endStream(client, stream.id, publisher);
    await endStream(client, stream.id, publisher);
    expect(stopped).toBe(2);
  });

  it('leaves the publisher live when the server refuses', async () => {
    const { stream } = await liveStream('Owner');
    const other = await signedInClient('Not the owner');
    clients.push(other);
    let stopped = false;
    const ending = endStream(other, stream.id, {
      stop: async () => {
        stopped = true;
      },
    });
    await expect(ending).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(stopped).toBe(false);
    expect((await other.streams.get(stream.id)).status).toBe('live');
  });
});
