import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../transport/realtime.js';
import {
  handlerFactory,
  installMediaStream,
  recordingSignalling,
  roomOf,
} from '../transport/test-fixtures.js';
import { RealtimeViewer } from './realtime-viewer.js';

/*
 * The signalling flows of the RealtimeViewer, with
 * mediasoup-client's FakeHandler standing in for the browser's WebRTC (the
 * Chromium tests run the same flows against the real server).
 */

beforeAll(installMediaStream);

const open: Array<{ close?(): void; destroy?(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close ? o.close() : o.destroy?.();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('RealtimeViewer signalling', () => {
  it('consumes every producer, resumes after the consumer exists, follows producers, prefers layers', async () => {
    const { signalling, calls } = recordingSignalling();
    const { realtime, emit } = roomOf([
      { streamId: 'str_1', producerId: 'pr_video1', kind: 'video' },
      { streamId: 'str_1', producerId: 'pr_audio1', kind: 'audio' },
    ]);
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    const stream = await viewer.start();
    expect(calls).toEqual([
      'capabilities',
      'createTransport:recv',
      'consume:pr_video1',
      'connect', // the transport connects with its first consumer
      'resume',
      'consume:pr_audio1',
      'resume',
    ]);
    expect(stream.getTracks().map((t) => t.kind)).toEqual(['video', 'audio']);
    expect(viewer.getSnapshot()).toMatchObject({ status: 'playing', spatialLayers: 3 });

    // The publisher leaves and comes back with new producers.
    emit('media:producerClosed', { streamId: 'str_1', producerId: 'pr_video1', kind: 'video' });
    await settle();
    expect(viewer.getSnapshot().status).toBe('waiting');
    emit('media:producer', { streamId: 'str_1', producerId: 'pr_video2', kind: 'video' });
    emit('media:producer', { streamId: 'str_other', producerId: 'pr_video9', kind: 'video' });
    await settle();
    expect(calls.slice(7)).toEqual(['consume:pr_video2', 'resume']);
    expect(viewer.getSnapshot().status).toBe('playing');
    expect(stream.getVideoTracks()).toHaveLength(1);

    await viewer.preferLayer(0);
    expect(calls.at(-1)).toBe('preferLayer:0');
    viewer.close();
    expect(calls.at(-1)).toBe('close');
    expect(viewer.getSnapshot().status).toBe('closed');
  });

  it("keeps each publisher's tracks apart: the host's video and everyone's audio play, everyone is a participant", async () => {
    const { signalling, calls } = recordingSignalling();
    const track = (producerId: string, kind: 'audio' | 'video', userId?: string) => ({
      streamId: 'str_1',
      producerId,
      kind,
      ...(userId ? { userId } : {}),
    });
    const { realtime, emit } = roomOf(
      [
        track('pr_video_h', 'video', 'usr_owner'),
        track('pr_audio_h', 'audio', 'usr_owner'),
        track('pr_video_g', 'video', 'usr_guest'),
        track('pr_audio_g', 'audio', 'usr_guest'),
      ],
      'usr_owner',
    );
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    const stream = await viewer.start();
    const kinds = () => stream.getTracks().map((t) => t.kind);
    expect(kinds()).toEqual(['video', 'audio', 'audio']);
    const people = () =>
      viewer.getSnapshot().participants.map((p) => ({
        userId: p.userId,
        host: p.host,
        tracks: p.mediaStream.getTracks().length,
        hasVideo: p.hasVideo,
      }));
    expect(people()).toEqual([
      { userId: 'usr_owner', host: true, tracks: 2, hasVideo: true },
      { userId: 'usr_guest', host: false, tracks: 2, hasVideo: true },
    ]);

    // A guest's new video replaces their own, never the host's.
    emit('media:producer', track('pr_video_g2', 'video', 'usr_guest'));
    await settle();
    expect(kinds()).toEqual(['video', 'audio', 'audio']);
    expect(people()[1]).toMatchObject({ tracks: 2 });
    // The guest shares a screen (the same producer, announced again): nothing is consumed
    // again, and the participant says so; back to the camera, it says that too.
    const sharing = () => viewer.getSnapshot().participants.map((p) => p.sharingScreen);
    expect(sharing()).toEqual([false, false]);
    const consumed = calls.length;
    emit('media:producer', { ...track('pr_video_g2', 'video', 'usr_guest'), source: 'screen' });
    await settle();
    expect(sharing()).toEqual([false, true]);
    expect(calls.length).toBe(consumed);
    expect(people()[1]).toMatchObject({ tracks: 2 });
    emit('media:producer', track('pr_video_g2', 'video', 'usr_guest'));
    await settle();
    expect(sharing()).toEqual([false, false]);
    // A co-host arrives; the guest leaves the stage (their tracks close) and is gone.
    emit('media:producer', track('pr_video_c', 'video', 'usr_cohost'));
    emit('media:producerClosed', track('pr_video_g2', 'video', 'usr_guest'));
    emit('media:producerClosed', track('pr_audio_g', 'audio', 'usr_guest'));
    await settle();
    expect(people()).toEqual([
      { userId: 'usr_owner', host: true, tracks: 2, hasVideo: true },
      { userId: 'usr_cohost', host: false, tracks: 1, hasVideo: true },
    ]);
    expect(kinds()).toEqual(['video', 'audio']);
    // The host away, the stage still plays; the Player's stream waits for the host.
    emit('media:producerClosed', track('pr_video_h', 'video', 'usr_owner'));
    await settle();
    expect(stream.getVideoTracks()).toHaveLength(0);
    expect(people()[0]).toMatchObject({ host: true, hasVideo: false });
  });

  it('fails with the typed error of a refused transport', async () => {
    const { signalling } = recordingSignalling();
    signalling.createTransport = async () => {
      const { OnAirError } = await import('../errors.js');
      throw new OnAirError('STREAM_FULL', 'Real-time viewing of this stream is full');
    };
    const { realtime } = roomOf([{ streamId: 'str_1', producerId: 'pr_video1', kind: 'video' }]);
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    await expect(viewer.start()).rejects.toMatchObject({ code: 'STREAM_FULL' });
    expect(viewer.getSnapshot().status).toBe('failed');
  });

  it('gives back an unused transport the server calls idle, and takes a new one when media comes', async () => {
    const { signalling, calls } = recordingSignalling();
    const created: string[] = [];
    const create = signalling.createTransport;
    signalling.createTransport = async (streamId, direction) => {
      const params = await create(streamId, direction);
      created.push(params.id);
      return params;
    };
    const { realtime, emit } = roomOf([]);
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    await viewer.start();
    expect(viewer.getSnapshot().status).toBe('waiting');

    emit('media:transportClosed', { transportId: created[0], reason: 'idle' });
    await settle();
    expect(viewer.getSnapshot().status).toBe('waiting'); // not failed: no media was lost
    emit('media:producer', { streamId: 'str_1', producerId: 'pr_video1', kind: 'video' });
    await settle();
    expect(calls.slice(2)).toEqual([
      'close',
      'createTransport:recv',
      'consume:pr_video1',
      'connect',
      'resume',
    ]);
    expect(viewer.getSnapshot().status).toBe('playing');
  });

  it('after a reconnection that lost the room, opens its new transport once the room is joined again', async () => {
    const { signalling, calls } = recordingSignalling();
    const producers = [{ streamId: 'str_1', producerId: 'pr_video1', kind: 'video' as const }];
    let joined: Promise<unknown> = Promise.resolve({ producers });
    let reconnected: () => void = () => undefined;
    const realtime = {
      holdRoom: () => ({
        joined,
        onRejoin: () => () => undefined,
        onRejoinError: () => () => undefined,
        release: () => undefined,
      }),
      on: () => () => undefined,
      onReconnect: (listener: () => void) => {
        reconnected = listener;
        return () => undefined;
      },
    } as unknown as RealtimeConnection;
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    await viewer.start();
    const before = calls.length;

    let rejoin: (answer: unknown) => void = () => undefined;
    joined = new Promise((resolve) => {
      rejoin = resolve;
    });
    reconnected();
    await settle();
    expect(calls.slice(before)).toEqual(['close']); // no transport outside the room
    rejoin({ producers });
    await settle();
    expect(calls.slice(before + 1)).toEqual([
      'createTransport:recv',
      'consume:pr_video1',
      'connect',
      'resume',
    ]);
    expect(viewer.getSnapshot().status).toBe('playing');
  });
});
