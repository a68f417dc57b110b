/** One sample of a Prometheus text exposition: its metric name, labels and value. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed scrape: its samples, and the `# TYPE` of each metric family. */
export interface PrometheusText {
  samples: PrometheusSample[];
  types: Map<string, string>;
  /**
   * The value of the one sample named `name` whose labels include `labels`;
   * undefined when there is none (throws when several match).
   */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses Prometheus text format 0.0.4 strictly enough for tests: a line it
 * cannot read throws, so a malformed exposition fails the test.
 */
export function parsePrometheusText(text: string): PrometheusText {
  const samples: PrometheusSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) types.set(type[1] as string, type[2] as string);
      else if (!line.startsWith('# HELP ')) throw new Error(`unexpected comment: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key as string] = (raw as string).replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      );
    }
    const raw = match[3] as string;
    // Prometheus reads NaN in any case (Go's ParseFloat); prom-client writes `Nan`.
    const nan = /^nan$/i.test(raw);
    const value = nan ? Number.NaN : raw === '+Inf' ? Infinity : Number(raw);
    if (Number.isNaN(value) && !nan) throw new Error(`not a value: ${line}`);
    samples.push({ name: match[1] as string, labels, value });
  }
  return {
    samples,
    types,
    value(name, wanted = {}) {
      const found = samples.filter(
        (s) => s.name === name && Object.entries(wanted).every(([k, v]) => s.labels[k] === v),
      );
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match`);
      return found[0]?.value;
    },
  };
}
