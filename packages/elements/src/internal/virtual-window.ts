/** Rows to render and the space to leave above and below them. */
export interface WindowRange {
  start: number;
  /** Exclusive. */
  end: number;
  padTop: number;
  padBottom: number;
  total: number;
}

/**
 * Which rows of a long list of variable-height rows are in view. Heights are
 * measured once rendered and estimated before; only the rows in view plus an
 * overscan are rendered, so a list of 10,000 rows costs as much as one of 50.
 */
export class VirtualWindow {
  private readonly heights = new Map<string, number>();

  constructor(
    private readonly estimate = 28,
    private readonly overscan = 10,
  ) {}

  /** Records a rendered row's height; true when it changed. */
  measure(id: string, height: number): boolean {
    if (height <= 0 || this.heights.get(id) === height) return false;
    this.heights.set(id, height);
    return true;
  }

  /** Forgets rows that are gone. */
  retain(ids: readonly string[]): void {
    if (this.heights.size <= ids.length * 2) return;
    const keep = new Set(ids);
    for (const id of this.heights.keys()) if (!keep.has(id)) this.heights.delete(id);
  }

  /** Rows to render for a viewport at `scrollTop` (`null`: pinned to the end). */
  range(ids: readonly string[], scrollTop: number | null, viewport: number): WindowRange {
    const n = ids.length;
    let total = 0;
    const tops = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      tops[i] = total;
      total += this.heights.get(ids[i] as string) ?? this.estimate;
    }
    tops[n] = total;
    const top = scrollTop === null ? Math.max(0, total - viewport) : Math.min(scrollTop, total);
    // Binary search for the first row whose bottom is below `top`.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tops[mid + 1] as number) <= top) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    while (last < n && (tops[last] as number) < top + viewport) last++;
    const start = Math.max(0, lo - this.overscan);
    const end = Math.min(n, last + this.overscan);
    return {
      start,
      end,
      padTop: tops[start] as number,
      padBottom: total - (tops[end] as number),
      total,
    };
  }
}
