import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../test/scratch-database.js';
import { type OpenDatabase, openDatabase } from './database.js';
import { DatabaseWebhookOutbox } from './webhook-outbox.js';

/*
 * The outbox as servers sharing one database use it: on PostgreSQL
 * (`pnpm test:postgres`) two connection pools claim at once, as two servers
 * would; on PGlite one database serves both.
 */
let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
const opened: OpenDatabase[] = [];
let one: DatabaseWebhookOutbox;
let other: DatabaseWebhookOutbox;

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  scratch = base ? await scratchDatabase(base) : undefined;
  const first = await openDatabase({ databaseUrl: scratch?.url });
  opened.push(first);
  const second = scratch ? await openDatabase({ databaseUrl: scratch.url }) : first;
  if (second !== first) opened.push(second);
  one = new DatabaseWebhookOutbox(first.db);
  other = new DatabaseWebhookOutbox(second.db);
});
afterAll(async () => {
  for (const database of opened) await database.close();
  await scratch?.drop();
});

const deliveries = (count: number, eventId: string) =>
  Array.from({ length: count }, (_, i) => ({
    eventId,
    targetUrl: `https://host.example/hooks/${i % 3}`,
    body: JSON.stringify({ id: eventId, n: i }),
  }));

async function drain(outbox: DatabaseWebhookOutbox): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const claimed = await outbox.claim(7, 60_000);
    if (claimed.length === 0) return ids;
    ids.push(...claimed.map((d) => d.id));
  }
}

describe(`webhook outbox (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('gives each due delivery to one claimer only, however many claim at once', async () => {
    await one.add(deliveries(60, 'evt_many'));
    const [a, b] = await Promise.all([drain(one), drain(other)]);
    const all = [...a, ...b];
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
    // Claimed rows stay out of reach while their lease runs.
    expect(await one.claim(100, 60_000)).toEqual([]);
    expect(await other.nextDueIn()).toBeGreaterThan(50_000);
    for (const id of all) await one.remove(id);
  });

  it('counts attempts, releases a failed delivery for later, and forgets removed ones', async () => {
    await one.add(deliveries(1, 'evt_retry'));
    const [first] = await one.claim(10, 60_000);
    expect(first).toMatchObject({ eventId: 'evt_retry', attempts: 1 });
    expect(first?.body).toBe(JSON.stringify({ id: 'evt_retry', n: 0 }));
    await one.retryIn(first?.id ?? '', 60_000, 'HTTP 503');
    expect(await other.claim(10, 60_000)).toEqual([]);
    await one.retryIn(first?.id ?? '', 0, 'HTTP 503');
    const [again] = await other.claim(10, 60_000);
    expect(again).toMatchObject({ id: first?.id, eventId: 'evt_retry', attempts: 2 });
    await other.remove(again?.id ?? '');
    expect(await one.nextDueIn()).toBeUndefined();
  });

  it('lets another server take a delivery whose lease ran out (its server died mid-attempt)', async () => {
    await one.add(deliveries(1, 'evt_orphan'));
    const [taken] = await one.claim(10, 1);
    expect(taken?.attempts).toBe(1);
    await expect
      .poll(async () => (await other.claim(10, 60_000)).map((d) => [d.id, d.attempts]), {
        timeout: 5_000,
        interval: 20,
      })
      .toEqual([[taken?.id, 2]]);
    await other.remove(taken?.id ?? '');
    expect(await one.nextDueIn()).toBeUndefined();
  });
});
