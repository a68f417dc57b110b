import type { PublisherState } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { Emitter } from '../platform/emitter.js';
import type { MediaPlane, MediaPlaneEvents } from './media-plane.js';
import { watchPublishers } from './publisher-grace.js';

/** The grace period's view of the media plane: its publisher events only. */
function harness(graceSeconds: number) {
  const events = new Emitter<MediaPlaneEvents>((error) => {
    throw error;
  });
  const ends = new Emitter<{ ended: string }>((error) => {
    throw error;
  });
  const announced: PublisherState[] = [];
  const ended: string[] = [];
  const stop = watchPublishers({
    media: { on: events.on.bind(events), publishingStreams: [] } as unknown as MediaPlane,
    graceSeconds,
    announce: (state) => announced.push(state),
    end: async (streamId) => ended.push(streamId),
    log: () => undefined,
    onStreamEnded: (listener) => ends.on('ended', listener),
  });
  return {
    announced,
    ended,
    stop,
    publisher: (streamId: string, connected: boolean) =>
      events.emit('publisher', { streamId, connected }),
    streamEnded: (streamId: string) => ends.emit('ended', streamId),
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the publisher grace period', () => {
  it('says "reconnecting" while it runs and ends the stream when nobody came back', async () => {
    const h = harness(0.2);
    h.publisher('st_a', true);
    h.publisher('st_a', false);
    expect(h.announced.map((s) => s.state)).toEqual(['connected', 'reconnecting']);
    expect(Date.parse(h.announced[1]?.endsAt ?? '') - Date.now()).toBeGreaterThan(100);
    await wait(350);
    expect(h.ended).toEqual(['st_a']);
    h.stop();
  });

  it('stops waiting when the stream is ended meanwhile, and says nothing of publishers leaving an ended stream', async () => {
    const h = harness(0.2);
    h.publisher('st_b', true);
    h.publisher('st_b', false); // the broadcaster stops sending, then ends the stream
    h.streamEnded('st_b');
    await wait(350);
    expect(h.ended).toEqual([]);

    h.publisher('st_c', true);
    h.streamEnded('st_c'); // ended while sending: its publisher leaves afterwards
    h.publisher('st_c', false);
    await wait(350);
    expect(h.announced.filter((s) => s.streamId === 'st_c').map((s) => s.state)).toEqual([
      'connected',
    ]);
    expect(h.ended).toEqual([]);
    h.stop();
  });
});
