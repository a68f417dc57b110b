import { describe, expect, it } from 'vitest';
import type { LiveEdge } from './engine.js';
import { liveSkipTarget } from './live-skip.js';

const edge = (latency: number, liveSyncPosition: number | null = 100): LiveEdge => ({
  latency,
  targetLatency: 1,
  liveSyncPosition,
});

describe('liveSkipTarget', () => {
  it('jumps to the sync position past 3 × the target latency, and never under 6 s', () => {
    // Target 1 s: the bound is 6 s.
    expect(liveSkipTarget(edge(6), 94, 1, undefined)).toBe(null);
    expect(liveSkipTarget(edge(6.5), 93.5, 1, undefined)).toBe(100);
    // Target 3 s: 9 s.
    expect(liveSkipTarget(edge(8.5), 91.5, 3, undefined)).toBe(null);
    expect(liveSkipTarget(edge(9.5), 90.5, 3, undefined)).toBe(100);
  });

  it('follows maxLiveLatency, where 0 and Infinity never jump', () => {
    expect(liveSkipTarget(edge(4.5), 95.5, 1, 4)).toBe(100);
    expect(liveSkipTarget(edge(3.5), 96.5, 1, 4)).toBe(null);
    expect(liveSkipTarget(edge(60), 40, 1, 0)).toBe(null);
    expect(liveSkipTarget(edge(60), 40, 1, Number.POSITIVE_INFINITY)).toBe(null);
  });

  it('never jumps backwards or without a sync position', () => {
    expect(liveSkipTarget(edge(20, null), 80, 1, undefined)).toBe(null);
    expect(liveSkipTarget(edge(20, 100), 100, 1, undefined)).toBe(null);
  });
});
