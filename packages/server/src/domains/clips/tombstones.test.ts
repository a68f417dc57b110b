import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnAirError, type Stream } from '@onair/protocol';
import { CreateStreamInputSchema } from '@onair/protocol/inputs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { hlsUrlFor } from '../../media/hls/urls.js';
import type { Identity } from '../../platform/auth/identity.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { StreamRepository } from '../streams/repository.js';
import { ClipRepository } from './repository.js';
import { type ClipPeers, ClipService, type ClipServiceDeps } from './service.js';

/*
 * Tombstones of clips deleted while the node keeping their files did not
 * answer (PGlite, or PostgreSQL in `pnpm test:postgres`): the node named
 * deletes those folders, all of them, and nothing else of its clip folder.
 */
let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
let database: OpenDatabase;
let repository: ClipRepository;
let dir: string;
let scratchDir: string;

const HERE = 'http://10.0.0.3:8080';
const THERE = 'http://10.0.0.4:8080';

/**
 * A clip service at `nodeUrl` with what deleting needs: the repository, the
 * folder, peers that answer as told, and streams whose owner may delete.
 */
function serviceAt(
  nodeUrl: string | undefined,
  peers?: Partial<ClipPeers>,
  log?: string[],
  cut?: ClipServiceDeps['cut'],
  clips: ClipRepository = repository,
) {
  const deps: Partial<ClipServiceDeps> = {
    cut,
    clips,
    // What making a clip checks before its cut: nobody restricted, no rate reached.
    moderation: { assertNotRestricted: async () => {} } as unknown as ClipServiceDeps['moderation'],
    state: { take: async () => 0 },
    rate: { capacity: 3, refillPerSecond: 1 },
    dir,
    nodeUrl: () => nodeUrl,
    peers: peers && ({ mediaNodeOf: async () => undefined, ...peers } as ClipPeers),
    log: (message) => log?.push(message),
    streams: {
      find: async () => stream,
      get: async () => ({ ...stream, status: 'live' }),
      canSee: async () => true,
      isManager: () => true,
    } as unknown as ClipServiceDeps['streams'],
  };
  return new ClipService(deps as ClipServiceDeps);
}

let stream: Stream;
const owner: Identity = {
  userId: 'usr_tomb_owner',
  displayName: 'Owner',
  roles: [],
  moderates: [],
  subscriptions: {},
};

/** A clip row of the test's stream, its files kept on `node`. */
async function storedClip(id: string, node: string | null): Promise<void> {
  await repository.create({
    id,
    streamId: stream.id,
    createdBy: owner.userId,
    title: 'A clip',
    startSeconds: 0,
    durationSeconds: 5,
    hasPoster: false,
    node,
    createdAt: new Date(),
  });
}

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
  // A folder of its own inside the scratch one: `..` (a bad tombstone) names that, not /tmp.
  scratchDir = await mkdtemp(join(tmpdir(), 'onair-tombstones-'));
  dir = join(scratchDir, 'clips');
  await mkdir(dir);
  const streams = new StreamRepository(database.db, hlsUrlFor);
  await streams.upsertUser({ id: owner.userId, displayName: owner.displayName });
  stream = await streams.create(
    owner.userId,
    CreateStreamInputSchema.parse({ title: 'Clipped' }),
    'key-clipped',
  );
});
afterAll(async () => {
  await database?.close();
  await scratch?.drop();
  await rm(scratchDir, { recursive: true, force: true });
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
    expect(await repository.tombstonesOf(HERE, 1, 'clp_tombstone0001')).toEqual([
      'clp_tombstone0003',
    ]);
    await repository.forgetTombstones(['clp_tombstone0001', 'clp_tombstone0003']);
    expect(await repository.tombstonesOf(HERE, 10)).toEqual([]);
    expect(await repository.tombstonesOf(THERE, 10)).toEqual(['clp_tombstone0002']);
  });

  it('has the node named delete those folders, past one batch, and keep every other', async () => {
    // Its own node's URL: the first test's tombstones are no part of this one.
    const SWEEPER = 'http://10.0.0.7:8080';
    const doomed = [];
    for (let i = 0; i < 450; i++) {
      const id = `clp_doomed${String(i).padStart(7, '0')}`;
      doomed.push(await clipFolder(id));
      await repository.tombstone(id, SWEEPER);
    }
    // A folder no row names (another database's clip, or one being cut) is no tombstone.
    const unnamed = await clipFolder('clp_unnamed000001');
    // Another node's tombstone: its files are on that node's disk, not here.
    const theirs = await clipFolder('clp_tombstone0002');

    // A node that does not know its URL yet deletes nothing.
    expect(await serviceAt(undefined).sweepTombstones()).toBe(0);
    expect(doomed.every((folder) => existsSync(folder))).toBe(true);

    // Told to stop (the server closes): it starts nothing, or ends after the batch under way.
    expect(await serviceAt(SWEEPER).sweepTombstones(AbortSignal.abort())).toBe(0);
    const stopping = new AbortController();
    const stopsAfterOne = Object.assign(Object.create(repository) as ClipRepository, {
      forgetTombstones: async (ids: readonly string[]) => {
        await repository.forgetTombstones(ids);
        stopping.abort();
      },
    });
    const stopped = serviceAt(SWEEPER, undefined, undefined, undefined, stopsAfterOne);
    expect(await stopped.sweepTombstones(stopping.signal)).toBe(200);
    expect(doomed.filter((folder) => existsSync(folder))).toHaveLength(250);
    expect(await serviceAt(SWEEPER).sweepTombstones()).toBe(250);
    expect(doomed.filter((folder) => existsSync(folder))).toEqual([]);
    expect(existsSync(unnamed)).toBe(true);
    expect(existsSync(theirs)).toBe(true);
    expect(await repository.tombstonesOf(SWEEPER, 10)).toEqual([]);
    // Swept once: the next round finds nothing.
    expect(await serviceAt(SWEEPER).sweepTombstones()).toBe(0);
  });

  it('keeps the tombstone of a clip being cut here until the cut is done', async () => {
    const node = 'http://10.0.0.8:8080';
    let finish = () => {};
    // A cut another node asked for and stopped waiting for: it writes its files when done.
    const service = serviceAt(node, undefined, undefined, async (_streamId, outDir) => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      await mkdir(outDir, { recursive: true });
      await writeFile(join(outDir, 'clip.mp4'), 'cut late');
      return { startSeconds: 0, durationSeconds: 5, poster: false };
    });
    const cut = service.cutHere(stream.id, 'clp_cutlatecut001', { last: 5 });
    await repository.tombstone('clp_cutlatecut001', node);
    expect(service.cutting('clp_cutlatecut001')).toBe(true);
    expect(await service.sweepTombstones()).toBe(0);
    expect(await repository.tombstonesOf(node, 10)).toEqual(['clp_cutlatecut001']);
    finish();
    await cut;
    expect(existsSync(join(dir, 'clp_cutlatecut001', 'clip.mp4'))).toBe(true);
    expect(await service.sweepTombstones()).toBe(1);
    expect(existsSync(join(dir, 'clp_cutlatecut001'))).toBe(false);
  });

  it('skips a tombstone whose clip exists, and forgets one that names no clip', async () => {
    const node = 'http://10.0.0.5:8080';
    const alive = await clipFolder('clp_stillalive001');
    await storedClip('clp_stillalive001', node);
    await repository.tombstone('clp_stillalive001', node);
    // Edited by hand: `..` would be the media folder.
    await repository.tombstone('..', node);
    const log: string[] = [];
    expect(await serviceAt(node, undefined, log).sweepTombstones()).toBe(1);
    expect(existsSync(alive)).toBe(true);
    expect(existsSync(dir)).toBe(true);
    expect(log).toEqual(['clips: tombstone .. names no clip']);
    expect(await repository.tombstonesOf(node, 10)).toEqual([]);
  });

  it('deletes a clip with a tombstone for its files on a node that did not delete them', async () => {
    const asked: string[] = [];
    const log: string[] = [];
    let answers = false;
    const service = serviceAt(
      HERE,
      {
        drop: async (url, clipId) => {
          asked.push(`${url} ${clipId}`);
          return answers;
        },
      },
      log,
    );
    await storedClip('clp_elsewhere0001', THERE);
    await service.delete('clp_elsewhere0001', owner);
    expect(asked).toEqual([`${THERE} clp_elsewhere0001`]);
    expect(await repository.tombstonesOf(THERE, 10)).toContain('clp_elsewhere0001');
    expect(log).toEqual([
      `clip clp_elsewhere0001: ${THERE} did not delete its files (down, or cutting): later`,
    ]);
    // That node answered: no tombstone is left.
    answers = true;
    await storedClip('clp_elsewhere0002', THERE);
    await service.delete('clp_elsewhere0002', owner);
    expect(await repository.tombstonesOf(THERE, 10)).not.toContain('clp_elsewhere0002');
    // Kept here: deleted here, no node asked, no tombstone.
    const mine = await clipFolder('clp_myownclip0001');
    await storedClip('clp_myownclip0001', HERE);
    await service.delete('clp_myownclip0001', owner);
    expect(existsSync(mine)).toBe(false);
    expect(asked).toHaveLength(2);
    expect(await repository.tombstonesOf(HERE, 10)).toEqual([]);
    // Gone: a second delete is NOT_FOUND.
    await expect(service.delete('clp_myownclip0001', owner)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('leaves a tombstone for a cut whose answer was lost (that node may have cut it)', async () => {
    const node = 'http://10.0.0.6:8080';
    const log: string[] = [];
    // A refusal (that node's queue is full) cut nothing: no tombstone.
    let refusal = new OnAirError('RATE_LIMITED', 'The server is busy cutting clips: try again');
    const service = serviceAt(
      HERE,
      {
        mediaNodeOf: async () => node,
        cut: async () => {
          throw refusal;
        },
        drop: async () => false,
      },
      log,
    );
    const clip = () => service.create(stream.id, owner, { durationSeconds: 30 });
    await expect(clip()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(await repository.tombstonesOf(node, 10)).toEqual([]);
    refusal = new OnAirError(
      'MEDIA_UNAVAILABLE',
      'The server with this stream’s media did not answer',
    );
    await expect(clip()).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
    const [tombstone] = await repository.tombstonesOf(node, 10);
    expect(tombstone).toMatch(/^clp_/);
    expect(log).toEqual([
      `clip ${tombstone}: ${node} did not delete its files (down, or cutting): later`,
    ]);
  });
});
