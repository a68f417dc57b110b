/**
 * List-query benchmark: 10,000 streams, the list queries of GET /v1/streams,
 * on embedded PGlite and, when DATABASE_URL is set, on PostgreSQL.
 * Run with `pnpm bench` (writes docs/benchmarks-lists.md).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { StreamListQuery } from '@onair/protocol';
import pg from 'pg';
import { openDatabase } from '../src/storage/database.js';
import { follows, streams } from '../src/storage/schema.js';
import { type ListViewer, StreamRepository } from '../src/storage/streams.js';

const STREAMS = 10_000;
const CHANNELS = 200;
const RUNS = 50;

async function seed(repo: StreamRepository, db: Awaited<ReturnType<typeof openDatabase>>['db']) {
  for (let c = 0; c < CHANNELS; c++) await repo.upsertUser(`usr_bench${c}`, `Channel ${c}`);
  await repo.upsertUser('usr_viewer', 'Viewer');
  await db.insert(follows).values(
    Array.from({ length: 20 }, (_, i) => ({
      followerId: 'usr_viewer',
      channelId: `usr_bench${i}`,
    })),
  );
  const statuses = ['live', 'scheduled', 'ended', 'cancelled'] as const;
  const privacies = ['public', 'public', 'public', 'unlisted', 'followers', 'private'] as const;
  const now = Date.now();
  const rows: Array<typeof streams.$inferInsert> = [];
  for (let i = 0; i < STREAMS; i++) {
    const status = statuses[i % 4] as (typeof statuses)[number];
    const t = new Date(now - i * 60_000);
    rows.push({
      id: `str_bench${i}`,
      ownerId: `usr_bench${i % CHANNELS}`,
      title: `Stream ${i}`,
      category: `cat${i % 25}`,
      status,
      privacy: privacies[i % privacies.length] as (typeof privacies)[number],
      scheduledAt: status === 'scheduled' ? new Date(now + i * 60_000) : null,
      startedAt: status === 'live' || status === 'ended' ? t : null,
      endedAt: status === 'ended' ? new Date(t.getTime() + 30_000) : null,
      recordingUrl: status === 'ended' && i % 3 === 0 ? `/vod/${i}` : null,
      createdAt: t,
      updatedAt: t,
      streamKeyHash: 'x',
    });
  }
  for (let i = 0; i < rows.length; i += 1000)
    await db.insert(streams).values(rows.slice(i, i + 1000));
}

async function measure(fn: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2);
  return { p50: pick(0.5), p95: pick(0.95) };
}

async function run(label: string, databaseUrl: string | undefined) {
  const database = await openDatabase({ databaseUrl });
  const repo = new StreamRepository(database.db, (id) => `/hls/${id}/master.m3u8`);
  await seed(repo, database.db);
  const anonymous: ListViewer = { userId: undefined, admin: false };
  const viewer: ListViewer = { userId: 'usr_viewer', admin: false };
  const base: StreamListQuery = { status: 'live', limit: 20 };
  const firstPage = await repo.list(base, anonymous);
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['live, first page (anonymous)', () => repo.list(base, anonymous)],
    [
      'live, second page (cursor)',
      () => repo.list({ ...base, cursor: firstPage.nextCursor ?? undefined }, anonymous),
    ],
    ['live, signed-in viewer (follows, invites)', () => repo.list(base, viewer)],
    ['live, by channel', () => repo.list({ ...base, channel: 'usr_bench7' }, anonymous)],
    ['live, by category', () => repo.list({ ...base, category: 'cat3' }, anonymous)],
    ['scheduled', () => repo.list({ ...base, status: 'scheduled' }, anonymous)],
    [
      'past, with recording',
      () => repo.list({ ...base, status: 'past', recorded: true }, anonymous),
    ],
    ["a user's streams", () => repo.listOwned('usr_bench7', 20)],
  ];
  const results: string[] = [];
  for (const [name, fn] of cases) {
    const { p50, p95 } = await measure(fn);
    results.push(`| ${label} | ${name} | ${p50} | ${p95} |`);
    process.stdout.write(`${label.padEnd(10)} ${name.padEnd(44)} p50 ${p50} ms  p95 ${p95} ms\n`);
  }
  await database.close();
  return results;
}

async function freshPostgres(baseUrl: string) {
  const name = `onair_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const rows = await run('PGlite', undefined);
if (process.env.DATABASE_URL) {
  const database = await freshPostgres(process.env.DATABASE_URL);
  try {
    rows.push(...(await run('PostgreSQL', database.url)));
  } finally {
    await database.drop();
  }
} else {
  process.stdout.write('PostgreSQL not measured: set DATABASE_URL to include it.\n');
}
const report = `# Stream list queries: 10,000 streams

Generated by \`pnpm bench\` (packages/server/bench/list-streams.bench.ts) on ${new Date().toISOString().slice(0, 10)}.
${STREAMS.toLocaleString('en')} streams across ${CHANNELS} channels (a quarter each live, scheduled, ended,
cancelled; mixed privacy), 20 per page, ${RUNS} timed runs after 5 warm-up runs, in-process
(repository call to rows mapped to the protocol's Stream, no HTTP).

| store | query | p50 ms | p95 ms |
| --- | --- | ---: | ---: |
${rows.join('\n')}
`;
await writeFile(new URL('../../../docs/benchmarks-lists.md', import.meta.url), report);
process.stdout.write('wrote docs/benchmarks-lists.md\n');
