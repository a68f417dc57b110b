/**
 * Discovery benchmark (`pnpm bench:search`, issue #21): 100,000 streams in a
 * fresh PostgreSQL database (dropped afterwards) across 500 channels, with
 * titles, descriptions, categories and tags drawn from a vocabulary of 400
 * words, and the searches of `GET /v1/streams`: a common word, a rare word,
 * two words, a word's beginning (as typed), a channel's name, a tag, words
 * and a tag together, a name thousands of viewers (users without a
 * stream) share, a name 2,000 channels share (the oldest 8,000 streams are
 * theirs, one of each status: a walk in time order meets them last), and the "following" feed of a viewer who follows 50
 * channels. Each is timed in-process (the repository's query, rows mapped to
 * the protocol's Stream) over `--runs` runs after 5 warm-up runs: p50, p95,
 * max. Target p95 ≤ 50 ms. Prints a table and writes its section of
 * docs/benchmarks.md. Needs DATABASE_URL (or BENCH_DATABASE_URL). Exits with
 * 1 when a target is missed.
 */
import { parseArgs } from 'node:util';
import type { StreamListQuery } from '@onair/protocol';
import { sql } from 'drizzle-orm';
import { type ListViewer, StreamRepository } from '../src/domains/streams/repository.js';
import { openDatabase } from '../src/storage/database.js';
import { scratchDatabase } from '../test/scratch-database.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';

const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '50' },
  },
});
const STREAMS = Number(args.streams);
const RUNS = Number(args.runs);
const CHANNELS = 500;
/** Channels named "Studio <n>", owning the oldest streams: more than a search lists by id. */
const STUDIOS = 2000;
/** Signed-in viewers without a stream, a tenth of them named Alex. */
const VIEWERS = 100_000;
const VOCABULARY = 400;
const TARGET_P95_MS = 50;

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!baseUrl) {
  process.stderr.write('bench:search needs DATABASE_URL (PostgreSQL)\n');
  process.exit(1);
}

const scratch = await scratchDatabase(baseUrl, 'onair_bench_search');
const database = await openDatabase({ databaseUrl: scratch.url });
try {
  const { db } = database;
  const repo = new StreamRepository(db, (id) => `/hls/${id}/master.m3u8`);
  const started = performance.now();
  // Seeded in SQL: word i of the vocabulary is `w<i>`; word 1 is in a tenth of the streams'
  // titles, word 397 in few. Statuses and privacy vary as in the list benchmark.
  await db.execute(sql`
    insert into users (id, display_name)
    select 'usr_s' || c, 'Channel ' || c || ' w' || (c % ${VOCABULARY}) from generate_series(0, ${CHANNELS}) c`);
  // Every viewer who ever signed in is a user too: a name many share must not hide a channel.
  await db.execute(sql`
    insert into users (id, display_name)
    select 'usr_v' || v, case when v % 10 = 0 then 'Alex ' else 'Viewer ' end || v
    from generate_series(1, ${VIEWERS}) v`);
  await db.execute(sql`
    insert into users (id, display_name)
    select 'usr_t' || t, 'Studio ' || t from generate_series(0, ${STUDIOS - 1}) t`);
  await db.execute(sql`
    insert into streams (id, owner_id, title, description, category, tags, status, privacy,
      scheduled_at, started_at, ended_at, created_at, updated_at, stream_key_hash)
    select 'str_s' || i,
      case when i >= ${STREAMS - STUDIOS * 4} then 'usr_t' || (i / 4 % ${STUDIOS})
        else 'usr_s' || (i % ${CHANNELS}) end,
      'Stream w' || (i % 10) || ' w' || (i % 397) || ' about w' || ((i * 7) % ${VOCABULARY}),
      'Notes on w' || ((i * 13) % ${VOCABULARY}) || ' and w' || ((i * 31) % ${VOCABULARY}),
      'cat' || (i % 25),
      jsonb_build_array('tag' || (i % 50), 'w' || ((i * 3) % ${VOCABULARY})),
      (array['live', 'scheduled', 'ended', 'cancelled'])[1 + i % 4],
      (array['public', 'public', 'public', 'unlisted', 'followers', 'private'])[1 + i % 6],
      case when i % 4 = 1 then now() + i * interval '1 minute' end,
      case when i % 4 in (0, 2) then now() - i * interval '1 minute' end,
      case when i % 4 = 2 then now() - i * interval '1 minute' + interval '30 seconds' end,
      now() - i * interval '1 minute', now() - i * interval '1 minute', 'key' || i
    from generate_series(0, ${STREAMS - 1}) i`);
  await db.execute(sql`
    insert into follows (follower_id, channel_id)
    select 'usr_s' || ${CHANNELS}, 'usr_s' || c from generate_series(0, 49) c`);
  // As autovacuum keeps a running database: the GIN indexes' pending lists merged (200,000
  // fresh rows would otherwise be read one by one at each search) and statistics taken.
  await db.execute(sql`vacuum analyze`);
  const seeded = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`seeded ${STREAMS.toLocaleString('en')} streams in ${seeded} s\n`);

  const anonymous: ListViewer = { userId: undefined, admin: false };
  const viewer: ListViewer = { userId: `usr_s${CHANNELS}`, admin: false };
  const live = (query: Partial<StreamListQuery>): StreamListQuery => ({
    status: 'live',
    limit: 20,
    ...query,
  });
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['a common word (live)', () => repo.list(live({ q: 'w1' }), anonymous)],
    ['a common word (past)', () => repo.list(live({ status: 'past', q: 'w1' }), anonymous)],
    ['a rare word', () => repo.list(live({ q: 'w396' }), anonymous)],
    ['two words', () => repo.list(live({ q: 'stream w7 w42' }), anonymous)],
    ["a word's beginning, as typed", () => repo.list(live({ q: 'w39' }), anonymous)],
    ["a channel's name", () => repo.list(live({ q: 'channel 42' }), anonymous)],
    [
      'a name every channel shares (past)',
      () => repo.list(live({ status: 'past', q: 'channel' }), anonymous),
    ],
    ['a name 10,000 viewers share', () => repo.list(live({ q: 'alex' }), anonymous)],
    [
      `a name ${STUDIOS.toLocaleString('en')} channels share`,
      () => repo.list(live({ q: 'studio' }), anonymous),
    ],
    [
      `a name ${STUDIOS.toLocaleString('en')} channels share (past)`,
      () => repo.list(live({ status: 'past', q: 'studio' }), anonymous),
    ],
    ['a tag', () => repo.list(live({ tag: 'tag7' }), anonymous)],
    ['words and a tag', () => repo.list(live({ q: 'notes', tag: 'tag7' }), anonymous)],
    ['signed in: a word', () => repo.list(live({ q: 'w5' }), viewer)],
    ['following feed', () => repo.list(live({ following: true }), viewer)],
    ['following feed, a word', () => repo.list(live({ following: true, q: 'about' }), viewer)],
  ];
  const rows: string[] = [];
  let missed = false;
  for (const [name, run] of cases) {
    for (let i = 0; i < 5; i++) await run();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
    const [p50, p95, max] = [at(0.5), at(0.95), times.at(-1) ?? 0].map((t) => t.toFixed(1));
    if (at(0.95) > TARGET_P95_MS) missed = true;
    rows.push(`| ${name} | ${p50} | ${p95} | ${max} |`);
    process.stdout.write(`${name.padEnd(32)} p50 ${p50} ms  p95 ${p95} ms  max ${max} ms\n`);
  }
  await writeDocSection(
    BENCHMARKS_DOC,
    'search',
    `## Discovery: search over ${STREAMS.toLocaleString('en')} streams (PostgreSQL)

\`pnpm bench:search\` (packages/server/bench/search.bench.ts), ${new Date().toISOString().slice(0, 10)}:
${STREAMS.toLocaleString('en')} streams across ${CHANNELS} channels (a quarter each live, scheduled, ended,
cancelled; mixed privacy), words from a vocabulary of ${VOCABULARY}, 20 per page, ${RUNS} timed runs
after 5 warm-up runs, in-process (the repository's query to rows mapped to the protocol's
Stream, no HTTP). The search is PostgreSQL full-text (\`simple\` configuration, every word
required, each matching the words it begins) over a generated \`tsvector\` column with a GIN
index, or'd with the streams of the channels whose name matches (found first, in a
query of their own, among the users with a stream of the status listed, and put in the
search by id up to 1,000 of them, gathered by the search itself beyond: the
${VIEWERS.toLocaleString('en')} viewers seeded besides the channels have none, a tenth of them named Alex, and
${STUDIOS.toLocaleString('en')} channels named Studio own the oldest ${(STUDIOS * 4).toLocaleString('en')} streams, more than a search lists); tags
use a GIN index too. Seeded, then \`vacuum analyze\`d as autovacuum would. The first run, with
one OR across the join, read every stream for a channel's name or a very common word: p95
62 ms; the "following" feed as a semi-join walked every live stream in owner order: p95 73 ms.
Target: p95 ≤ ${TARGET_P95_MS} ms.

| search | p50 ms | p95 ms | max ms |
| --- | ---: | ---: | ---: |
${rows.join('\n')}`,
  );
  process.stdout.write(`wrote its section of docs/benchmarks.md\n`);
  if (missed) process.exitCode = 1;
} finally {
  await database.close();
  await scratch.drop();
}
