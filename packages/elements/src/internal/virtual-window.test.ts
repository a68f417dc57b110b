import { describe, expect, it } from 'vitest';
import { VirtualWindow } from './virtual-window.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

describe('VirtualWindow', () => {
  it('renders the rows in view plus overscan, and pads the rest', () => {
    const w = new VirtualWindow(20, 2);
    const list = ids(10_000);
    const end = w.range(list, null, 100);
    expect(end.total).toBe(200_000);
    expect(end.end).toBe(10_000);
    expect(end.start).toBe(10_000 - 5 - 2);
    expect(end.padTop + (end.end - end.start) * 20 + end.padBottom).toBe(end.total);
    const top = w.range(list, 0, 100);
    expect([top.start, top.end, top.padTop]).toEqual([0, 7, 0]);
    const middle = w.range(list, 50_000, 100);
    expect([middle.start, middle.end]).toEqual([2498, 2507]);
    expect(middle.padTop).toBe(2498 * 20);
  });

  it('uses measured heights once known', () => {
    const w = new VirtualWindow(20, 0);
    const list = ids(4);
    expect(w.measure('m0', 100)).toBe(true);
    expect(w.measure('m0', 100)).toBe(false);
    const r = w.range(list, 100, 30);
    expect(r.total).toBe(160);
    expect([r.start, r.end, r.padTop]).toEqual([1, 3, 100]);
    w.retain(['m0']);
    expect(w.range(['m0'], 0, 10).total).toBe(100);
  });
});
