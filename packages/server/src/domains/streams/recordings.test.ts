import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamInputSchema } from '@onair/protocol/inputs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { hlsUrlFor } from '../../media/hls/urls.js';
import type { MediaPlane, MediaPlaneEvents } from '../../media/media-plane.js';
import { Emitter } from '../../platform/emitter.js';
import { InternalBus } from '../../platform/events.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { handleRecordings } from './recordings.js';
import { StreamRepository } from './repository.js';

/*
 * What happens to a stream's HLS output when it ends (handleRecordings), with
 * real storage (PGlite, or PostgreSQL) and the media plane's events raised by
 * the test: a kept recording names the node keeping it (when the node has
 * peers), a node that another node took the stream over from leaves the
 * recording to that node, and an unrecorded stream's folder goes.
 */
let database: OpenDatabase;
let drop: (() => Promise<void>) | undefined;
let hlsDir: string;

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  const scratch = base ? await scratchDatabase(base) : undefined;
  drop = scratch?.drop;
  database = await openDatabase({ databaseUrl: scratch?.url });
  hlsDir = await mkdtemp(join(tmpdir(), 'onair-recordings-'));
}, 60_000);
afterAll(async () => {
  await database?.close();
  await drop?.();
  await rm(hlsDir, { recursive: true, force: true });
});

/** The part of the media plane that handleRecordings listens to. */
function mediaPlane() {
  const events = new Emitter<MediaPlaneEvents>((error) => {
    throw error;
  });
  const media = {
    on: events.on.bind(events),
    hls: { dirOf: (id: string) => join(hlsDir, id) },
  } as unknown as MediaPlane;
  return { media, events };
}

const ended = (streamId: string, superseded = false): MediaPlaneEvents['recording'] => ({
  streamId,
  superseded,
  durationSeconds: 12,
  renditions: ['360p'],
  incomplete: false,
});

describe('recordings when a stream ends', () => {
  it('keeps the replay with the node that recorded it, once, and leaves a taken-over part', async () => {
    const streams = new StreamRepository(database.db, hlsUrlFor);
    await streams.upsertUser({ id: 'usr_rec_owner', displayName: 'Owner' });
    const create = (title: string, recording: boolean) =>
      streams.create(
        'usr_rec_owner',
        CreateStreamInputSchema.parse({ title, recording }),
        `key-${title}`,
      );
    const recorded = await create('recorded', true);
    const taken = await create('taken', true);
    const single = await create('single', true);
    const unrecorded = await create('unrecorded', false);
    await mkdir(join(hlsDir, unrecorded.id), { recursive: true });
    await mkdir(join(hlsDir, taken.id), { recursive: true });

    const bus = new InternalBus(() => undefined);
    const ready: string[] = [];
    bus.on('recording:ready', (stream) => ready.push(stream.id));
    const logs: string[] = [];
    const { media, events } = mediaPlane();
    const off = handleRecordings(
      media,
      streams,
      bus,
      (m) => logs.push(m),
      () => 'http://10.0.0.2:8080',
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

    events.emit('recording', ended(recorded.id));
    // The media plane is asked to end a stream again on later updates, and a second node can race
    // the first to store the replay: one replay, told once, whoever was second.
    events.emit('recording', ended(recorded.id));
    events.emit('recording', ended(taken.id, true));
    events.emit('recording', ended(unrecorded.id));
    await settle();

    expect((await streams.find(recorded.id))?.recordingUrl).toBe(hlsUrlFor(recorded.id));
    expect(await streams.recordingNodeOf(recorded.id)).toBe('http://10.0.0.2:8080');
    // Another node took `taken` over: that node stores the replay and names itself.
    expect((await streams.find(taken.id))?.recordingUrl).toBeNull();
    expect(await streams.recordingNodeOf(taken.id)).toBeUndefined();
    expect(logs.some((m) => m.includes(taken.id) && m.includes('took the stream over'))).toBe(true);
    // Not moved or deleted: with a shared media folder it is the other node's too.
    expect((await stat(join(hlsDir, taken.id))).isDirectory()).toBe(true);
    await expect(stat(join(hlsDir, unrecorded.id))).rejects.toThrow();
    expect(ready).toEqual([recorded.id]);
    const { media: second, events: secondEvents } = mediaPlane();
    const offSecond = handleRecordings(
      second,
      streams,
      bus,
      () => undefined,
      () => 'http://10.0.0.3:8080',
    );
    // The store itself refuses a second replay (two nodes past the read at once).
    expect(
      await streams.setRecordingUrl(recorded.id, hlsUrlFor(recorded.id), 'http://10.0.0.3:8080'),
    ).toBeUndefined();
    secondEvents.emit('recording', ended(recorded.id));
    await settle();
    expect(await streams.recordingNodeOf(recorded.id)).toBe('http://10.0.0.2:8080');
    expect(ready).toEqual([recorded.id]);
    offSecond();
    off();

    // A server without peers names no node: its recordings are served where the files are.
    const { media: alone, events: aloneEvents } = mediaPlane();
    const offAlone = handleRecordings(alone, streams, bus, () => undefined);
    aloneEvents.emit('recording', ended(single.id));
    await settle();
    expect((await streams.find(single.id))?.recordingUrl).toBe(hlsUrlFor(single.id));
    expect(await streams.recordingNodeOf(single.id)).toBeUndefined();
    offAlone();
  });
});
