import uPlot from 'uplot';
import { UPLOT_CSS } from './uplot.styles.js';

/*
 * The chart module, loaded on first use (`import('./uplot-chart.js')` in
 * charts.ts): uPlot and its stylesheet stay out of the elements' first paint.
 */

/** What one chart shows and how. */
export interface PlotSpec {
  /** Seconds since the epoch, ascending. */
  x: number[];
  y: Array<number | null>;
  /** The series' name (the tooltip's). */
  label: string;
  /** Resolved colours (canvas does not read CSS custom properties). */
  colors: { line: string; fill: string; axis: string; grid: string };
  /** A sparkline: no axes, grid or cursor. */
  sparkline: boolean;
  /** How the y axis writes a value. */
  formatY: (value: number) => string;
  /** How the x axis writes a time (seconds since the epoch). */
  formatX: (seconds: number) => string;
}

/** A chart drawn into a container. */
export interface Plot {
  /** Points drawn. */
  readonly points: number;
  /** New data (the colours and labels of the first spec stay). */
  update(spec: PlotSpec): void;
  destroy(): void;
}

const SHEET = new CSSStyleSheet();
SHEET.replaceSync(UPLOT_CSS);

/** Puts uPlot's stylesheet in the container's shadow root, before the element's own styles. */
function adoptStyles(container: HTMLElement): void {
  const root = container.getRootNode();
  if (root instanceof ShadowRoot && !root.adoptedStyleSheets.includes(SHEET)) {
    root.adoptedStyleSheets = [SHEET, ...root.adoptedStyleSheets];
  }
}

const sizeOf = (container: HTMLElement) => ({
  width: Math.max(container.clientWidth, 50),
  height: Math.max(container.clientHeight, 24),
});

function xRange(xs: ArrayLike<number>): uPlot.Range.MinMax {
  const first = xs[0] ?? 0;
  const last = xs[xs.length - 1] ?? first;
  return first === last ? [first - 300, last + 300] : [first, last];
}

/** Draws `spec` as a time series chart sized to `container` (and following its size). */
export function plot(container: HTMLElement, spec: PlotSpec): Plot {
  adoptStyles(container);
  const { colors, sparkline } = spec;
  const axis = (values: (value: number) => string): uPlot.Axis => ({
    show: !sparkline,
    stroke: colors.axis,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1 },
    values: (_chart, splits) => splits.map(values),
  });
  const options: uPlot.Options = {
    ...sizeOf(container),
    legend: { show: false },
    cursor: sparkline ? { show: false } : { drag: { x: false, y: false }, points: { size: 6 } },
    padding: sparkline ? [2, 0, 2, 0] : [8, 8, 0, 0],
    scales: {
      // The minutes' span; a lone minute in the middle of ten (uPlot would give it a day).
      x: { time: true, range: (chart) => xRange(chart.data[0]) },
      // From zero: a flat audience should not look like a cliff.
      y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      axis(spec.formatX),
      {
        ...axis(spec.formatY),
        // Wide enough for the longest label ("2,400 kb/s") at the axis' 12px font.
        size: (_chart, values) => 20 + 7.5 * Math.max(3, ...(values ?? []).map((v) => v.length)),
      },
    ],
    series: [
      {},
      {
        label: spec.label,
        stroke: colors.line,
        fill: colors.fill,
        width: sparkline ? 1.5 : 2,
        // A lone minute is a point, not an invisible line.
        points: { show: (_chart, _series, first, last) => last - first < 2 },
      },
    ],
  };
  const chart = new uPlot(options, [spec.x, spec.y], container);
  const resize = new ResizeObserver(() => {
    const size = sizeOf(container);
    if (size.width !== chart.width || size.height !== chart.height) chart.setSize(size);
  });
  resize.observe(container);
  return {
    get points() {
      return chart.data[0].length;
    },
    update(next) {
      chart.setData([next.x, next.y]);
    },
    destroy() {
      resize.disconnect();
      chart.destroy();
    },
  };
}
