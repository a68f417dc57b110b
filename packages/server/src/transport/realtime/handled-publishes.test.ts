import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { handlePublishes } from './handled-publishes.js';

/*
 * The rooms' adapter sends some messages without awaiting them (its
 * heartbeat): with Redis away, each would be an unhandled rejection, which
 * ends a Node process. A client that cannot send (never connected, no
 * offline queue) rejects every command at once.
 */

const clients: Redis[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

function unreachable(): Redis {
  // Nothing listens on port 1.
  const client = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

describe('handlePublishes', () => {
  it('leaves no unhandled rejection behind a send nobody awaits, and still rejects for whoever does', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = handlePublishes(unreachable());
      // As the adapter's heartbeat: sent, never awaited.
      void client.publish('channel', 'beat');
      void client.xadd('stream', '*', 'k', 'v');
      void client.spublish('channel', 'beat');
      void client.set('session', 'kept');
      // A duplicate (the adapter listens on one): the same.
      const copy = client.duplicate();
      copy.on('error', () => undefined);
      clients.push(copy);
      void copy.subscribe('channel');
      void copy.publish('channel', 'beat');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      await expect(client.publish('channel', 'awaited')).rejects.toThrow();
      await expect(client.xadd('stream', '*', 'k', 'v')).rejects.toThrow();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
