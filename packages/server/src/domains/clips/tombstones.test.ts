import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { ClipRepository } from './repository.js';
import { ClipService, type ClipServiceDeps } from './service.js';

/*
 * Tombstones of clips deleted while the node keeping their files did not
 * answer (PGlite, or PostgreSQL in `pnpm test:postgres`): the node named
 * deletes those folders, all of them, and nothing else of its clip folder.
 */
let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
let database: OpenDatabase;
let repository: ClipRepository;
let dir: string;

const HERE = 'http://10.0.0.3:8080';
const THERE = 'http://10.0.0.4:8080';

/** The sweep needs the repository, the folder and this node's URL alone. */
const serviceAt = (nodeUrl: string | undefined) =>
  new ClipService({ clips: repository, dir, nodeUrl: () => nodeUrl } as unknown as ClipServiceDeps);

async function clipFolder(id: string): Promise<string> {
  const folder = join(dir, id);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'clip.mp4'), 'not really an MP4');
  return folder;
}

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  scratch = base ? await scratchDatabase(base) : undefined;
  database = await openDatabase({ databaseUrl: scratch?.url });
  repository = new ClipRepository(database.db);
  dir = await mkdtemp(join(tmpdir(), 'onair-tombstones-'));
});
afterAll(async () => {
  await database?.close();
  await scratch?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('clip tombstones', () => {
  it('names each clip once, for its node, oldest first, a page at a time', async () => {
    await repository.tombstone('clp_tombstone0001', HERE);
    await repository.tombstone('clp_tombstone0002', THERE);
    await repository.tombstone('clp_tombstone0003', HERE);
    // Deleted twice (two nodes that both found the keeper down): one tombstone.
    await repository.tombstone('clp_tombstone0001', HERE);
    expect(await repository.tombstonesOf(HERE, 10)).toEqual([
      'clp_tombstone0001',
      'clp_tombstone0003',
    ]);
    expect(await repository.tombstonesOf(HERE, 1)).toEqual(['clp_tombstone0001']);
    await repository.forgetTombstones(['clp_tombstone0001', 'clp_tombstone0003']);
    expect(await repository.tombstonesOf(HERE, 10)).toEqual([]);
    expect(await repository.tombstonesOf(THERE, 10)).toEqual(['clp_tombstone0002']);
  });

  it('has the node named delete those folders, past one batch, and keep every other', async () => {
    const doomed = [];
    for (let i = 0; i < 450; i++) {
      const id = `clp_doomed${String(i).padStart(7, '0')}`;
      doomed.push(await clipFolder(id));
      await repository.tombstone(id, HERE);
    }
    // A folder no row names (another database's clip, or one being cut) is no tombstone.
    const unnamed = await clipFolder('clp_unnamed000001');
    // Another node's tombstone: its files are on that node's disk, not here.
    const theirs = await clipFolder('clp_tombstone0002');

    // A node that does not know its URL yet deletes nothing.
    expect(await serviceAt(undefined).sweepTombstones()).toBe(0);
    expect(doomed.every((folder) => existsSync(folder))).toBe(true);

    expect(await serviceAt(HERE).sweepTombstones()).toBe(450);
    expect(doomed.filter((folder) => existsSync(folder))).toEqual([]);
    expect(existsSync(unnamed)).toBe(true);
    expect(existsSync(theirs)).toBe(true);
    expect(await repository.tombstonesOf(HERE, 10)).toEqual([]);
    // Swept once: the next round finds nothing.
    expect(await serviceAt(HERE).sweepTombstones()).toBe(0);
  });
});
