import type { Redis } from 'ioredis';

/**
 * The commands through which the rooms' adapter sends to the other servers,
 * keeps a disconnected socket's session (`set`) and listens (`subscribe`, on a
 * duplicate of the client: ioredis subscribes again on each reconnection).
 */
const SENDS = ['publish', 'spublish', 'xadd', 'set', 'subscribe', 'ssubscribe'] as const;

/**
 * Marks the promise of every message the rooms' adapter sends through `client`
 * as handled. The adapter (`@socket.io/redis-streams-adapter` 0.3) leaves some
 * of them without a handler (its heartbeat's `PUBLISH`, broadcasts it does not
 * await): one rejected while Redis is away ("Connection is closed") would be an
 * unhandled rejection, which ends a Node process. Whoever awaits one still gets
 * its error; the client's `error` event still reports the outage.
 */
export function handlePublishes(client: Redis): Redis {
  for (const name of SENDS) {
    const send = client[name] as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const sent = send.apply(client, args);
      sent.catch(() => undefined);
      return sent;
    };
  }
  // The adapter reads and listens on duplicates of the client: the same for them.
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (...args: Parameters<Redis['duplicate']>) =>
    handlePublishes(duplicate(...args));
  return client;
}
