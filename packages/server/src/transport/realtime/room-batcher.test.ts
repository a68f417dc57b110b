import type { BatchedEvent, ChatMessage, Poll } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoomBatcher } from './room-batcher.js';

afterEach(() => {
  vi.useRealTimers();
});

const message = (id: string) => ({ id, streamId: 's1', text: id }) as unknown as ChatMessage;
const poll = (votes: number) =>
  ({ id: 'p1', streamId: 's1', totalVotes: votes }) as unknown as Poll;

describe('RoomBatcher', () => {
  it('sends one frame per room and window, in order, coalescing keyed snapshots', () => {
    vi.useFakeTimers();
    const frames: Array<[string, BatchedEvent[]]> = [];
    const totals: Array<[string, Map<string, number>]> = [];
    const batcher = new RoomBatcher(
      (room, events) => frames.push([room, events]),
      100,
      (room, counts) => totals.push([room, new Map(counts)]),
    );
    batcher.emit('stream:s1', 'chat:message', message('a'));
    batcher.emit('stream:s1', 'poll:updated', poll(1), 'poll:p1');
    batcher.emit('stream:s1', 'chat:message', message('b'));
    batcher.emit('stream:s1', 'poll:updated', poll(2), 'poll:p1');
    batcher.emit('stream:s2', 'chat:message', message('c'));
    for (let i = 0; i < 5; i++) batcher.react('stream:s1', '🎉', i / 10);
    batcher.react('stream:s1', '❤️', undefined);
    expect(frames).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(frames.map(([room]) => room)).toEqual(['stream:s1', 'stream:s2']);
    const [, s1] = frames[0] as [string, BatchedEvent[]];
    expect(s1.map(([name, p]) => `${name}:${(p as { id?: string }).id ?? ''}`)).toEqual([
      'chat:message:a',
      'chat:message:b',
      'poll:updated:p1',
      'reactions:',
    ]);
    expect((s1[2]?.[1] as Poll | undefined)?.totalVotes).toBe(2);
    expect(s1[3]?.[1]).toEqual({
      streamId: 's1',
      reactions: [
        { emoji: '🎉', count: 5, positions: [0, 0.1, 0.2, 0.3, 0.4] },
        { emoji: '❤️', count: 1, positions: [] },
      ],
    });
    expect(totals).toEqual([
      [
        'stream:s1',
        new Map([
          ['🎉', 5],
          ['❤️', 1],
        ]),
      ],
    ]);
    // Nothing queued: nothing sent.
    vi.advanceTimersByTime(500);
    expect(frames).toHaveLength(2);
    batcher.emit('stream:s1', 'chat:message', message('d'));
    batcher.close();
    expect(frames).toHaveLength(3);
  });

  it('keeps at most 8 sample positions per emoji and window', () => {
    vi.useFakeTimers();
    const frames: BatchedEvent[][] = [];
    const batcher = new RoomBatcher((_room, events) => frames.push(events), 100);
    for (let i = 0; i < 1000; i++) batcher.react('stream:s1', '🔥', 0.5);
    batcher.close();
    const burst = frames[0]?.[0]?.[1] as {
      reactions: Array<{ count: number; positions: number[] }>;
    };
    expect(burst.reactions[0]?.count).toBe(1000);
    expect(burst.reactions[0]?.positions).toHaveLength(8);
  });
});
