import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
});
