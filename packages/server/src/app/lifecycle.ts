/** Longest wait for one close step, ms: a shutdown never hangs on one resource. */
const STEP_MS = 10_000;

interface Step {
  name: string;
  close: () => unknown;
}

/**
 * The server's resources as a stack: each one that starts pushes its own
 * close ({@link defer}); {@link close} pops them in reverse order, each
 * bounded in time, and a start that fails unwinds what had started
 * ({@link start}). The shape of TC39's `AsyncDisposableStack`, which Node
 * 22 lacks.
 */
export class Lifecycle {
  private readonly steps: Step[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly log: (message: string) => void,
    private readonly stepMs = STEP_MS,
  ) {}

  /** Pushes how to close what just started; `name` appears in the log if it is slow or fails. */
  defer(name: string, close: () => unknown): void {
    if (this.closing) throw new Error(`Lifecycle: ${name} started after close`);
    this.steps.push({ name, close });
  }

  /** Closes everything, last started first. Idempotent; steps that fail or hang are logged. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        await this.bounded(step);
      }
    })();
    return this.closing;
  }

  /** Runs `build`; if it throws, closes what it had started and rethrows. */
  async start<T>(build: () => Promise<T>): Promise<T> {
    try {
      return await build();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private async bounded(step: Step): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.stepMs);
    });
    try {
      const done = Promise.resolve()
        .then(step.close)
        .then(() => 'done' as const);
      if ((await Promise.race([done, late])) === 'late') {
        this.log(`shutdown: ${step.name} did not finish in ${this.stepMs / 1000} s`);
      }
    } catch (error) {
      this.log(`shutdown: ${step.name} failed: ${String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
