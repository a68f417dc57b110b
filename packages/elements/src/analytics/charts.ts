import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Plot, PlotSpec } from './uplot-chart.js';

/** One chart of a render: its name, the element it draws into, and what it shows. */
export interface ChartRequest {
  name: string;
  container: HTMLElement | null | undefined;
  spec: PlotSpec;
}

/**
 * The uPlot charts of an element: loads the chart module on the first chart
 * asked for (the element paints without it), draws each chart into the
 * container its render made, updates it with new data, and destroys a chart
 * when its container goes or the element leaves the page. The colours are
 * read when a chart is made, so a new colour scheme (the system's, while
 * connected, or {@link repaint}) makes the charts again.
 */
export class ChartsController implements ReactiveController {
  #module: typeof import('./uplot-chart.js') | undefined;
  #loading: Promise<void> | undefined;
  #failed = false;
  #deps: readonly unknown[] = [];
  #wanted = new Map<string, { container: HTMLElement; spec: PlotSpec }>();
  readonly #drawn = new Map<string, { container: HTMLElement; plot: Plot }>();
  /** The system's scheme: `theme="auto"` and `--onair-color-scheme: light dark` follow it. */
  #dark: MediaQueryList | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The chart module could not load: the element shows its data tables instead. */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Draws this render's charts (`charts()`); charts not named any more are
   * removed. Call from `updated()`: nothing is redrawn while `deps` (the
   * report, the language) are the ones of the last call.
   */
  draw(deps: readonly unknown[], charts: () => readonly ChartRequest[]): void {
    if (
      this.#deps.length === deps.length &&
      this.#deps.every((dep, i) => Object.is(dep, deps[i]))
    ) {
      return;
    }
    this.#deps = deps;
    this.#wanted = new Map();
    for (const { name, container, spec } of charts()) {
      if (container) this.#wanted.set(name, { container, spec });
    }
    if (this.#module) this.#apply(this.#module);
    else if (this.#wanted.size > 0) this.#load();
  }

  /**
   * Makes the charts again at the host's next update, in colours read anew
   * (uPlot keeps a chart's first colours): after the colour scheme changed.
   */
  readonly repaint = (): void => {
    this.#destroy();
    this.#deps = [];
    this.host.requestUpdate();
  };

  #destroy(): void {
    for (const { plot } of this.#drawn.values()) plot.destroy();
    this.#drawn.clear();
  }

  #load(): void {
    this.#loading ??= import('./uplot-chart.js').then(
      (module) => {
        this.#module = module;
        // Never while the host is away: #apply skips containers off the page.
        this.#apply(module);
      },
      () => {
        this.#failed = true;
        this.host.requestUpdate();
      },
    );
  }

  #apply(module: typeof import('./uplot-chart.js')): void {
    for (const [name, drawn] of this.#drawn) {
      if (this.#wanted.get(name)?.container !== drawn.container) {
        drawn.plot.destroy();
        this.#drawn.delete(name);
      }
    }
    for (const [name, { container, spec }] of this.#wanted) {
      if (!container.isConnected) continue;
      const drawn = this.#drawn.get(name);
      if (drawn) drawn.plot.update(spec);
      else this.#drawn.set(name, { container, plot: module.plot(container, spec) });
      // What was drawn, for tests and styling: the points of the series.
      container.dataset.points = String(this.#drawn.get(name)?.plot.points ?? 0);
    }
  }

  hostConnected(): void {
    this.#dark = matchMedia('(prefers-color-scheme: dark)');
    this.#dark.onchange = this.repaint;
    // Colours read while away (or in another scheme's subtree) are stale.
    this.repaint();
  }

  hostDisconnected(): void {
    // Set by hostConnected, which always comes first.
    (this.#dark as MediaQueryList).onchange = null;
    this.#destroy();
  }
}
