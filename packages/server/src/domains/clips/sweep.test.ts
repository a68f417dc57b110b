import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamInputSchema } from '@onair/protocol/inputs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { hlsUrlFor } from '../../media/hls/urls.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { StreamRepository } from '../streams/repository.js';
import { ClipRepository } from './repository.js';
import { ClipService, type ClipServiceDeps, ORPHAN_GRACE_MS } from './service.js';

/*
 * The sweep of a node's clip folder, with real storage (PGlite, or
 * PostgreSQL): the files of a clip that is not stored go once they are older
 * than the grace (a cut its asker gave up on, a clip deleted while the node
 * was down); a stored clip's files, a cut under way and what is not a clip stay.
 */
let database: OpenDatabase;
let drop: (() => Promise<void>) | undefined;
let dir: string;

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  const scratch = base ? await scratchDatabase(base) : undefined;
  drop = scratch?.drop;
  database = await openDatabase({ databaseUrl: scratch?.url });
  dir = await mkdtemp(join(tmpdir(), 'onair-clip-sweep-'));
}, 60_000);
afterAll(async () => {
  await database?.close();
  await drop?.();
  await rm(dir, { recursive: true, force: true });
});

describe('the clip folder sweep', () => {
  it('deletes old files of clips that are not stored, and nothing else', async () => {
    const streams = new StreamRepository(database.db, hlsUrlFor);
    await streams.upsertUser({ id: 'usr_sweep', displayName: 'Sweeper' });
    const stream = await streams.create(
      'usr_sweep',
      CreateStreamInputSchema.parse({ title: 'Clipped' }),
      'key-sweep',
    );
    const clips = new ClipRepository(database.db);
    await clips.create({
      id: 'clp_stored',
      streamId: stream.id,
      createdBy: 'usr_sweep',
      title: 'Kept',
      startSeconds: 0,
      durationSeconds: 10,
      hasPoster: true,
      node: null,
      createdAt: new Date(),
    });
    // Only what the sweep uses: the clips and the folder.
    const service = new ClipService({ clips, dir } as Pick<
      ClipServiceDeps,
      'clips' | 'dir'
    > as ClipServiceDeps);
    const old = new Date(Date.now() - ORPHAN_GRACE_MS - 60_000);
    const folder = async (name: string, age?: Date) => {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'clip.mp4'), 'mp4');
      if (age) await utimes(join(dir, name), age, age);
    };
    await folder('clp_stored', old);
    await folder('clp_abandoned', old);
    await folder('clp_deleted', old);
    await folder('clp_cutting');
    await folder('notes', old);
    await writeFile(join(dir, 'clp_file'), 'not a folder');
    await utimes(join(dir, 'clp_file'), old, old);

    expect(await service.sweepOrphans()).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['clp_cutting', 'clp_file', 'clp_stored', 'notes']);
    // Nothing more to sweep; with no grace, the cut that was under way (never stored) goes too.
    expect(await service.sweepOrphans()).toBe(0);
    expect(await service.sweepOrphans(-1)).toBe(1);
    expect(await readdir(join(dir, 'clp_stored'))).toEqual(['clip.mp4']);
    // No folder yet (a node that never cut): nothing to do.
    const none = new ClipService({ clips, dir: join(dir, 'absent') } as Pick<
      ClipServiceDeps,
      'clips' | 'dir'
    > as ClipServiceDeps);
    expect(await none.sweepOrphans()).toBe(0);
  });
});
