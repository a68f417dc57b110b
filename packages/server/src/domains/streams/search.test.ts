import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { StreamRepository } from './repository.js';

/*
 * The stream search's channel names at scale, against the repository with
 * real storage (PGlite, or PostgreSQL): however many channels share a word
 * of their names, each of their streams is found, whether the channels are
 * few enough to be listed in the query or so many that the query gathers
 * them itself; and the "following" feed.
 */
let database: OpenDatabase;
let drop: (() => Promise<void>) | undefined;
let repo: StreamRepository;

/** Channels named "Crowd <i>", each with one live public stream titled "Show <i>". */
const CROWD = 1_200;

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  const scratch = base ? await scratchDatabase(base) : undefined;
  drop = scratch?.drop;
  database = await openDatabase({ databaseUrl: scratch?.url });
  repo = new StreamRepository(database.db, (id) => `/hls/${id}/master.m3u8`);
  const { db } = database;
  await db.execute(sql`
    insert into users (id, display_name)
    select 'usr_c' || c, 'Crowd ' || c from generate_series(1, ${CROWD}) c`);
  // Users named alike with no stream, and one "Solo" channel.
  await db.execute(sql`
    insert into users (id, display_name)
    select 'usr_v' || v, 'Crowd viewer ' || v from generate_series(1, 300) v
    union all select 'usr_solo', 'Solo Crowd'`);
  await db.execute(sql`
    insert into streams (id, owner_id, title, description, category, tags, status, privacy,
      started_at, created_at, updated_at, stream_key_hash)
    select 'str_c' || c, 'usr_c' || c, 'Show ' || c, '', null, '[]'::jsonb, 'live', 'public',
      now() - c * interval '1 second', now(), now(), 'key' || c
    from generate_series(1, ${CROWD}) c
    union all select 'str_solo', 'usr_solo', 'Quiet hour', '', null, '[]'::jsonb, 'live',
      'public', now() - interval '1 day', now(), now(), 'key_solo'`);
  await db.execute(sql`
    insert into follows (follower_id, channel_id)
    select 'usr_v1', 'usr_c' || c from generate_series(1, 30) c`);
}, 120_000);
afterAll(async () => {
  await database?.close();
  await drop?.();
});

/** Every id of a live search's pages, following their cursors. */
async function everyId(q: string | undefined, following = false): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await repo.list(
      {
        status: 'live',
        limit: 100,
        ...(q !== undefined ? { q } : {}),
        ...(following ? { following } : {}),
        ...(cursor ? { cursor } : {}),
      },
      { userId: 'usr_v1', admin: false },
    );
    ids.push(...page.items.map((s) => s.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe(`stream search over many channels (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('finds the streams of every channel a word names, past a thousand channels too', async () => {
    // 1,201 channels: more than the query lists by id, so it gathers them itself.
    const crowd = await everyId('crowd');
    expect(crowd).toHaveLength(CROWD + 1);
    expect(crowd.at(-1)).toBe('str_solo');
    expect(new Set(crowd).size).toBe(CROWD + 1);
    // A few channels (each word matches those it begins): listed by id; titles still count.
    expect(await everyId('crowd 1200')).toEqual(['str_c1200']);
    const sevens = Array.from({ length: CROWD }, (_, i) => String(i + 1)).filter((n) =>
      n.startsWith('7'),
    );
    expect(await everyId('crowd 7')).toEqual(sevens.map((n) => `str_c${n}`));
    expect(await everyId('solo')).toEqual(['str_solo']);
    expect(await everyId('quiet')).toEqual(['str_solo']);
  });

  it('feeds the streams of the channels a viewer follows, newest first', async () => {
    const feed = await everyId(undefined, true);
    expect(feed).toEqual(Array.from({ length: 30 }, (_, i) => `str_c${i + 1}`));
    expect(await everyId('show 12', true)).toEqual(['str_c12']);
  });
});
