/**
 * Notifications benchmark (`pnpm bench:notifications`, issue #21): a channel
 * with 100,000 followers (80 % told of go-lives, 15 % of everything, 5 %
 * nothing) and 2,000 people who asked to be reminded, in a fresh PostgreSQL
 * database (dropped afterwards). Times, in-process:
 * - a go-live's fan-out: every inbox row written (one INSERT … SELECT) and
 *   the `notifications:sent` events of 1,000 users each (what the realtime
 *   push and the webhook take), over `--runs` streams;
 * - an inbox's first page (20 of a user's 1,000 notifications, and the
 *   unread count), p50/p95 over 200 reads.
 * Targets: fan-out p95 ≤ 3 s for 100,000 followers; inbox p95 ≤ 20 ms.
 * Prints a table and writes its section of docs/benchmarks.md. Needs
 * DATABASE_URL (or BENCH_DATABASE_URL). Exits with 1 when a target is missed.
 */
import { parseArgs } from 'node:util';
import type { Stream } from '@onair/protocol';
import { sql } from 'drizzle-orm';
import { NotificationRepository } from '../src/domains/notifications/repository.js';
import { NotificationService } from '../src/domains/notifications/service.js';
import { StreamRepository } from '../src/domains/streams/repository.js';
import { InternalBus } from '../src/platform/events.js';
import { openDatabase } from '../src/storage/database.js';
import { scratchDatabase } from '../test/scratch-database.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';

const { values: args } = parseArgs({
  options: {
    followers: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
  },
});
const FOLLOWERS = Number(args.followers);
const RUNS = Number(args.runs);
const REMINDED = 2000;
const INBOX = 1000;
const FANOUT_TARGET_MS = 3000;
const INBOX_TARGET_MS = 20;

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!baseUrl) {
  process.stderr.write('bench:notifications needs DATABASE_URL (PostgreSQL)\n');
  process.exit(1);
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

const scratch = await scratchDatabase(baseUrl, 'onair_bench_notify');
const database = await openDatabase({ databaseUrl: scratch.url });
try {
  const { db } = database;
  const streams = new StreamRepository(db, (id) => `/hls/${id}/master.m3u8`);
  const notifications = new NotificationRepository(db);
  const bus = new InternalBus((error) => {
    throw error;
  });
  let events = 0;
  let told = 0;
  bus.on('notifications:sent', ({ userIds }) => {
    events++;
    told += userIds.length;
  });
  const service = new NotificationService({
    notifications,
    streams,
    bus,
    reminderLeadMs: 600_000,
    reminderCheckMs: 60_000,
    log: (message) => process.stderr.write(`${message}\n`),
  });

  const started = performance.now();
  await db.execute(sql`
    insert into users (id, display_name)
    select 'usr_n' || i, 'Follower ' || i from generate_series(0, ${FOLLOWERS}) i`);
  await db.execute(sql`insert into channels (id) values ('usr_n0') on conflict do nothing`);
  await db.execute(sql`
    insert into follows (follower_id, channel_id, notify)
    select 'usr_n' || i, 'usr_n0', case when i % 20 = 0 then 'none' when i % 20 < 4 then 'all' else 'live' end
    from generate_series(1, ${FOLLOWERS}) i`);
  await db.execute(sql`
    insert into streams (id, owner_id, title, status, privacy, created_at, updated_at, stream_key_hash)
    select 'str_n' || i, 'usr_n0', 'Show ' || i, 'scheduled', 'public', now(), now(), 'nkey' || i
    from generate_series(0, ${RUNS + INBOX}) i`);
  await db.execute(sql`
    insert into stream_reminders (stream_id, user_id)
    select 'str_n' || s, 'usr_r' || i from generate_series(0, ${RUNS}) s, generate_series(1, ${REMINDED}) i`);
  // One reader with a full inbox, for the page reads.
  await db.execute(sql`
    insert into notifications (user_id, kind, stream_id, created_at, read_at)
    select 'usr_reader', 'live', 'str_n' || (${RUNS + 1} + i), now() - i * interval '1 minute',
      case when i % 3 = 0 then now() end
    from generate_series(0, ${INBOX - 1}) i`);
  await db.execute(sql`analyze`);
  process.stdout.write(
    `seeded ${FOLLOWERS.toLocaleString('en')} followers in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const fanOut: number[] = [];
  let perRun = 0;
  for (let i = 0; i < RUNS; i++) {
    const stream = (await streams.find(`str_n${i}`)) as Stream;
    const before = told;
    const t0 = performance.now();
    perRun = await service.notify({ ...stream, status: 'live' }, 'live');
    fanOut.push(performance.now() - t0);
    if (told - before !== perRun) throw new Error('the events do not name everyone told');
  }
  fanOut.sort((a, b) => a - b);
  // Steady state: the planner's statistics know of the inbox rows just written (autovacuum
  // analyzes a table after such a change on its own).
  await db.execute(sql`analyze notifications`);
  const reads: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    await notifications.inbox({ userId: 'usr_reader', admin: false }, 20);
    if (i >= 20) reads.push(performance.now() - t0);
  }
  reads.sort((a, b) => a - b);

  const fan = [percentile(fanOut, 0.5), percentile(fanOut, 0.95), fanOut.at(-1) ?? 0];
  const inbox = [percentile(reads, 0.5), percentile(reads, 0.95), reads.at(-1) ?? 0];
  const missed = (fan[1] ?? 0) > FANOUT_TARGET_MS || (inbox[1] ?? 0) > INBOX_TARGET_MS;
  const row = (name: string, [p50, p95, max]: number[]) =>
    `| ${name} | ${p50?.toFixed(1)} | ${p95?.toFixed(1)} | ${max?.toFixed(1)} |`;
  const table = [
    row(`go-live fan-out (${perRun.toLocaleString('en')} users told)`, fan),
    row(`inbox first page (of ${INBOX.toLocaleString('en')})`, inbox),
  ];
  for (const line of table) process.stdout.write(`${line}\n`);
  process.stdout.write(`${events / RUNS} events of ≤ 1,000 users per go-live\n`);
  await writeDocSection(
    BENCHMARKS_DOC,
    'notifications',
    `## Notifications: a go-live to ${FOLLOWERS.toLocaleString('en')} followers (PostgreSQL)

\`pnpm bench:notifications\` (packages/server/bench/notifications.bench.ts), ${new Date().toISOString().slice(0, 10)}:
one channel with ${FOLLOWERS.toLocaleString('en')} followers (80 % told of go-lives, 15 % of
everything, 5 % of nothing) and ${REMINDED.toLocaleString('en')} people who asked to be reminded.
A go-live writes every inbox row in one \`INSERT … SELECT\` (followers, reminders, once per
user) and announces ${events / RUNS} \`notifications:sent\` events of at most 1,000 users each (the
realtime push and the webhook read those); timed in-process over ${RUNS} streams. The inbox
read is a user's first page of 20 of their ${INBOX.toLocaleString('en')} notifications with the unread
count, over 200 reads after 20 warm-up reads, once the table is analyzed. Targets: fan-out p95 ≤ ${FANOUT_TARGET_MS / 1000} s,
inbox p95 ≤ ${INBOX_TARGET_MS} ms.

| operation | p50 ms | p95 ms | max ms |
| --- | ---: | ---: | ---: |
${table.join('\n')}`,
  );
  process.stdout.write('wrote its section of docs/benchmarks.md\n');
  if (missed) process.exitCode = 1;
} finally {
  await database.close();
  await scratch.drop();
}
