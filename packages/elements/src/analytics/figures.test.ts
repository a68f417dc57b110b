import { describe, expect, it } from 'vitest';
import {
  bitratePerMinute,
  chatPerMinute,
  FigureFormat,
  highest,
  rebufferPercentPerMinute,
  scoreLevel,
  viewersPerMinute,
} from './figures.js';

const minute = (
  at: string,
  watchMs: number,
  rebufferMs: number,
  bitrateKbps: number | null,
  chatMessages = 0,
) => ({
  at,
  viewers: watchMs / 60_000,
  watchMs,
  rebufferMs,
  rebufferCount: rebufferMs > 0 ? 1 : 0,
  bitrateKbps,
  chatMessages,
});

const T0 = Date.parse('2026-11-22T10:00:00.000Z') / 1000;

const TIMELINE = [
  minute('2026-11-22T10:00:00.000Z', 120_000, 0, 2400, 4),
  minute('2026-11-22T10:01:00.000Z', 57_000, 3000, 1200, 0),
  // Nobody played in the last minute, but the chat went on.
  minute('2026-11-22T10:02:00.000Z', 0, 0, null, 7),
];

describe('figures per minute', () => {
  it('derives the series from the timeline, unknown where nothing played (chat counts anyway)', () => {
    expect(viewersPerMinute(TIMELINE)).toEqual({
      x: [T0, T0 + 60, T0 + 120],
      y: [2, 0.95, 0],
    });
    // Stall time over watch + stall time, as the report's rebufferPercent.
    expect(rebufferPercentPerMinute(TIMELINE).y).toEqual([0, 5, null]);
    expect(bitratePerMinute(TIMELINE).y).toEqual([2400, 1200, null]);
    expect(highest(bitratePerMinute(TIMELINE))).toEqual({ value: 2400, at: T0 });
    expect(chatPerMinute(TIMELINE).y).toEqual([4, 0, 7]);
    expect(highest({ x: [1], y: [null] })).toBeNull();
  });

  it('writes figures in the language, and grades the score', () => {
    const en = new FigureFormat('en');
    expect(en.duration(3_725_000)).toBe('1 hr 2 min');
    expect(en.duration(65_000)).toBe('1 min 5 sec');
    expect(en.duration(null)).toBe('–');
    expect(en.percent(3.23)).toBe('3.2%');
    expect(en.startup(850)).toBe('850 ms');
    expect(en.startup(12_400)).toBe('12 sec');
    expect(new FigureFormat('es').count(1234)).toBe('1234');
    expect(new FigureFormat('de').decimal(2.55)).toBe('2,6');
    expect([scoreLevel(95), scoreLevel(70), scoreLevel(12), scoreLevel(null)]).toEqual([
      'good',
      'fair',
      'poor',
      null,
    ]);
  });
});
