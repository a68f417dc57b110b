import { describe, expect, it } from 'vitest';
import { type CutEvent, type CutterTiming, type CutterUnit, PartCutter } from './part-cutter.js';

const timing: CutterTiming = { partTarget: 1 / 3, segmentTarget: 2, maxSegment: 3.49 };

/** A seeded generator (mulberry32): the same frames on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stream {
  /** Seconds between pictures: called per frame. */
  interval: (frame: number) => number;
  /** Whether a picture at `time` (seconds since the last keyframe `sinceKey`) is a keyframe. */
  keyframe: (time: number, sinceKey: number) => boolean;
  audio: boolean;
  seconds: number;
}

/** Video fragments (one per frame) and AAC fragments (1024 samples at 48 kHz) in decode order. */
function fragments(stream: Stream): Array<CutterUnit<number>> {
  const units: Array<CutterUnit<number>> = [];
  const frames: Array<{ start: number; keyframe: boolean }> = [];
  let time = 0;
  let lastKey = -Infinity;
  for (let i = 0; time < stream.seconds; i++) {
    const keyframe = i === 0 || stream.keyframe(time, time - lastKey);
    if (keyframe) lastKey = time;
    frames.push({ start: time, keyframe });
    time += stream.interval(i);
  }
  frames.forEach((f, i) => {
    const next = frames[i + 1]?.start ?? f.start + 1 / 30;
    units.push({
      payload: 0,
      start: f.start,
      duration: next - f.start,
      video: true,
      keyframe: f.keyframe,
    });
  });
  if (stream.audio) {
    const aac = 1024 / 48000;
    for (let t = 0; t < stream.seconds; t += aac) {
      units.push({ payload: 0, start: t, duration: aac, video: false, keyframe: false });
    }
  }
  units.sort((a, b) => a.start - b.start || Number(b.video) - Number(a.video));
  return units.map((u, i) => ({ ...u, payload: i }));
}

interface CutSegment {
  parts: Array<{ duration: number; independent: boolean; gap: boolean; payloads: number[] }>;
  independent: boolean;
}

function cut(units: Array<CutterUnit<number>>, hasVideo = true): CutSegment[] {
  const cutter = new PartCutter<number>(timing, hasVideo);
  const segments: CutSegment[] = [];
  let open: CutSegment = { parts: [], independent: true };
  const apply = (events: Array<CutEvent<number>>) => {
    for (const event of events) {
      if (event.type === 'part') {
        open.parts.push(event.part);
      } else {
        segments.push(open);
        open = { parts: [], independent: event.nextIndependent };
      }
    }
  };
  for (const unit of units) apply(cutter.push(unit));
  apply(cutter.flush());
  return segments;
}

/** RFC 8216bis and hls-parser's strict mode, on the numbers as a playlist prints them. */
function expectValid(segments: CutSegment[], units: Array<CutterUnit<number>>) {
  const printed = (x: number) => Number(x.toFixed(5));
  const target = printed(timing.partTarget);
  expect(segments.length).toBeGreaterThan(3);
  const seen: number[] = [];
  for (const [s, segment] of segments.entries()) {
    const last = s === segments.length - 1;
    segment.parts.forEach((part, i) => {
      expect(printed(part.duration)).toBeLessThanOrEqual(target);
      if (i < segment.parts.length - 1) {
        expect(printed(part.duration), `segment ${s} part ${i}`).toBeGreaterThanOrEqual(
          target * 0.85,
        );
      }
      seen.push(...part.payloads);
    });
    expect(segment.parts[0]?.independent, `segment ${s} starts with a keyframe`).toBe(true);
    expect(segment.independent).toBe(true);
    const duration = segment.parts.reduce((sum, p) => sum + p.duration, 0);
    expect(Math.round(duration)).toBeLessThanOrEqual(3);
    if (!last) expect(duration).toBeGreaterThanOrEqual(timing.segmentTarget * 0.9 - 1e-6);
  }
  // Every fragment from the first keyframe on, once, in order.
  const first = units.findIndex((u) => u.video && u.keyframe);
  expect(seen).toEqual(units.slice(first).map((u) => u.payload));
}

const every2s = (_time: number, sinceKey: number) => sinceKey >= 2 - 1e-9;

describe('PartCutter', () => {
  it('cuts even 30 fps video with audio into parts of PART-TARGET and segments at keyframes', () => {
    const units = fragments({
      interval: () => 1 / 30,
      keyframe: every2s,
      audio: true,
      seconds: 12,
    });
    const segments = cut(units);
    expectValid(segments, units);
    expect(segments[0]?.parts.length).toBe(6);
  });

  it('keeps the 85 % rule with uneven WebRTC timing, dropped frames and a 15 fps publisher', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const next = random(seed);
      // 30 fps ± 8 ms, one frame in eight dropped, now and then a 150–400 ms freeze.
      const units = fragments({
        interval: () => {
          const r = next();
          if (r < 0.03) return 0.15 + next() * 0.25;
          return (r < 0.15 ? 2 : 1) * (1 / 30 + (next() - 0.5) * 0.016);
        },
        keyframe: (_t, since) => since >= 2 - 0.1 + next() * 0.3,
        // A screen share without a microphone on every other seed: pictures only.
        audio: seed % 2 === 0,
        seconds: 30,
      });
      expectValid(cut(units), units);
    }
    const fifteen = fragments({
      interval: () => 1 / 15,
      keyframe: every2s,
      audio: true,
      seconds: 12,
    });
    expectValid(cut(fifteen), fifteen);
  });

  it('spans a long frame across parts on a stream without audio, listing a part where nothing starts as a gap', () => {
    // 5 fps with a 0.9 s freeze: no picture starts in some parts.
    const units = fragments({
      interval: (i) => (i === 13 ? 0.9 : 0.2),
      keyframe: every2s,
      audio: false,
      seconds: 12,
    });
    const segments = cut(units);
    expectValid(segments, units);
    const gaps = segments.flatMap((s) => s.parts).filter((p) => p.gap);
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap.payloads).toEqual([]);
  });

  it('ends a segment at TARGETDURATION when no keyframe comes, and says the next is not independent', () => {
    const units = fragments({
      interval: () => 1 / 30,
      keyframe: (time) => time < 1e-9 || Math.abs(time - 6) < 1e-6,
      audio: true,
      seconds: 8,
    });
    const cutter = new PartCutter<number>(timing, true);
    const events = units.flatMap((u) => cutter.push(u));
    const ends = events.filter((e) => e.type === 'segment');
    expect(ends[0]).toEqual({ type: 'segment', nextIndependent: false });
    let duration = 0;
    for (const event of events) {
      if (event.type === 'segment') break;
      duration += event.part.duration;
    }
    expect(duration).toBeLessThanOrEqual(timing.maxSegment);
    expect(duration).toBeGreaterThan(3);
  });

  it('waits for a keyframe that fits PART-TARGET before it begins', () => {
    const cutter = new PartCutter<string>(timing, true);
    const unit = (
      payload: string,
      start: number,
      duration: number,
      keyframe: boolean,
      video = true,
    ) => ({ payload, start, duration, video, keyframe }) as const;
    expect(cutter.push(unit('audio', 0, 0.02, false, false))).toEqual([]);
    expect(cutter.push(unit('stretched', 0, 0.9, true))).toEqual([]);
    expect(cutter.waiting).toBe(true);
    cutter.push(unit('key', 0.9, 1 / 30, true));
    expect(cutter.waiting).toBe(false);
    const events = cutter.flush();
    expect(events[0]).toMatchObject({
      type: 'part',
      part: { payloads: ['key'], independent: true },
    });
    expect(cutter.waiting).toBe(true);
  });
});
