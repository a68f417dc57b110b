import { describe, expect, it } from 'vitest';
import { PublisherKeyframeClock } from './keyframe-clock.js';

/*
 * The keyframe clock against a simulated output: fragments of 1/30 s; a
 * keyframe asked for arrives 100 ms later at the publisher and starts the
 * next segment once it is ≥ 90 % of the 2 s target (as the part cutter does).
 */
function simulate(backlogAt: (wallSeconds: number) => number, seconds: number) {
  const target = 2;
  const clock = new PublisherKeyframeClock(target);
  const frame = 1 / 30;
  /** Publisher times of the keyframes asked for (they arrive 100 ms after the ask). */
  const keyframes: number[] = [];
  const segments: number[] = [];
  let msn = 0;
  let segmentStart = 0;
  const asks: number[] = [];
  for (let wall = 1; wall < seconds; wall += frame) {
    // The output shows what the publisher sent `backlog` seconds ago (media time = wall - 1 here).
    const mediaTime = wall - 1 - backlogAt(wall);
    if (mediaTime < frame) continue;
    const arrived = keyframes.find((k) => k <= mediaTime && k > segmentStart);
    if (arrived !== undefined && arrived - segmentStart >= target * 0.9) {
      segments.push(arrived - segmentStart);
      segmentStart = arrived;
      msn++;
    }
    const open = { msn, duration: mediaTime - segmentStart };
    if (clock.observe(open, mediaTime, wall)) {
      asks.push(wall);
      keyframes.push(wall - 1 + 0.1);
    }
  }
  return { segments, asks, clock };
}

describe('PublisherKeyframeClock', () => {
  it('asks as the open segment reaches 90 % of its target when ffmpeg keeps up', () => {
    const { segments, asks } = simulate(() => 0, 40);
    expect(segments.length).toBeGreaterThan(15);
    for (const length of segments) expect(length).toBeCloseTo(2, 0);
    // One ask per segment, 1.8 s into it.
    expect(asks.length).toBeLessThanOrEqual(segments.length + 1);
  });

  it('asks on the publisher’s timeline when the output trails it by seconds', () => {
    // ffmpeg falls 3 s behind between 10 s and 13 s of wall clock, and stays there.
    const backlog = (wall: number) => Math.min(3, Math.max(0, wall - 10));
    const { segments, clock } = simulate(backlog, 60);
    expect(clock.backlog).toBeCloseTo(3, 1);
    // Every segment still ends at a keyframe before TARGETDURATION (4 s) runs out.
    expect(segments.length).toBeGreaterThan(20);
    for (const length of segments) {
      expect(length).toBeGreaterThanOrEqual(1.8);
      expect(length).toBeLessThan(2.5);
    }
  });

  it('starts afresh after a reset (a new ffmpeg, a new timeline)', () => {
    const clock = new PublisherKeyframeClock(2);
    expect(clock.observe({ msn: 0, duration: 1.9 }, 100, 50)).toBe(true);
    clock.reset();
    // A new timeline from 0: nothing is due before 90 % of the first segment.
    expect(clock.observe({ msn: 0, duration: 0.5 }, 0.5, 60)).toBe(false);
    expect(clock.backlog).toBe(0);
    expect(clock.observe({ msn: 0, duration: 1.85 }, 1.85, 61.35)).toBe(true);
  });
});
