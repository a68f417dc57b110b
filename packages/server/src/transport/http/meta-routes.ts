import { createHash, timingSafeEqual } from 'node:crypto';
import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../../platform/auth/bearer.js';
import { openApiDocument } from './openapi.js';

/** Version reported in the OpenAPI document. */
const SERVER_VERSION = '0.1.0';

/** Longest wait for one dependency check, ms. */
const CHECK_TIMEOUT_MS = 2_000;

/** What `/healthz` reports. */
export interface ServerHealth {
  storage: 'pglite' | 'postgres';
  /** Whether the media plane runs. */
  media: boolean;
  /** Whether HLS is packaged (ffmpeg runs). */
  hls: boolean;
}

/** A dependency `/healthz` checks: `check` resolves when it answers, rejects when it is down. */
export interface HealthCheck {
  /** Its name in the report (`database`, `redis`, `ffmpeg`). */
  name: string;
  check(): Promise<unknown>;
}

/** What {@link registerMetaRoutes} checks. */
export interface MetaRoutesOptions {
  /** The dependencies `/healthz` checks on each request. */
  checks: readonly HealthCheck[];
  /** Whether the server takes traffic: false until it listens and from the start of its shutdown. */
  ready(): boolean;
  /** A check that takes longer counts as down, ms. Default 2000. */
  timeoutMs?: number;
  /**
   * `/metrics`: what it serves, which also counts every HTTP response, and
   * the token it needs (none: open). Absent: no `/metrics`.
   */
  metrics?: { source: ScrapedMetrics; token: string | undefined } | undefined;
}

/** What `/metrics` serves: a `ServerMetrics`. */
export interface ScrapedMetrics {
  /** Media type of the scrape (Prometheus text format). */
  readonly contentType: string;
  scrape(): Promise<string>;
  /** Counts an answered request (`route`: its pattern; undefined when none matched). */
  httpResponded(method: string, route: string | undefined, status: number): void;
}

/** One check's outcome in the `/healthz` report. */
export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
}

/**
 * A check bounded in time. Concurrent requests share one running check, and
 * a check that hangs is not started again until it settles, so a dependency
 * that stopped answering does not pile up probes.
 */
function bounded(check: HealthCheck, timeoutMs: number): () => Promise<CheckResult> {
  let running: Promise<unknown> | undefined;
  return async () => {
    const started = performance.now();
    running ??= Promise.resolve()
      .then(() => check.check())
      .finally(() => {
        running = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const outcome = await Promise.race([running.then(() => 'up' as const), late]).catch(
      () => 'down' as const,
    );
    clearTimeout(timer);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { status: outcome === 'up' ? 'up' : 'down', latencyMs };
  };
}

/**
 * Registers `/healthz` (what runs and whether each dependency answers, with
 * its latency; 503 while one is down), `/readyz` (200 when the server takes
 * traffic, 503 before it listens and once its shutdown began: for load
 * balancers and orchestrators), `/openapi.json` (the REST API's
 * description) and, with `metrics`, `/metrics` (Prometheus; see
 * {@link registerMetricsRoute}).
 */
export function registerMetaRoutes(
  app: FastifyInstance,
  health: ServerHealth,
  options: MetaRoutesOptions,
): void {
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const checks = options.checks.map((check) => ({
    name: check.name,
    run: bounded(check, timeoutMs),
  }));
  app.get('/healthz', async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async ({ name, run }) => [name, await run()] as const),
    );
    const ok = results.every(([, result]) => result.status === 'up');
    return reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ ok, ...health, checks: Object.fromEntries(results) });
  });
  app.get('/readyz', async (_request, reply) => {
    const ready = options.ready();
    return reply
      .status(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ ready });
  });
  const openApi = openApiDocument(SERVER_VERSION);
  app.get('/openapi.json', async () => openApi);
  if (options.metrics) registerMetricsRoute(app, options.metrics.source, options.metrics.token);
}

/**
 * `GET /metrics`: the server's metrics in Prometheus text format, behind
 * `Authorization: Bearer <token>` when a token is set (401 `UNAUTHORIZED`
 * otherwise; compared in constant time). Every HTTP response is counted
 * into them by method, route pattern and status.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: ScrapedMetrics,
  token: string | undefined,
): void {
  // Digests compare in constant time whatever the lengths of what is compared.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = token === undefined ? undefined : digest(token);
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpResponded(request.method, request.routeOptions.url, reply.statusCode);
  });
  app.get('/metrics', async (request, reply) => {
    if (expected) {
      const given = bearerToken(request.headers.authorization);
      if (!given || !timingSafeEqual(digest(given), expected)) {
        reply.header('www-authenticate', 'Bearer');
        throw new OnAirError('UNAUTHORIZED', 'Metrics need "Authorization: Bearer <token>"');
      }
    }
    return reply
      .header('content-type', metrics.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.scrape());
  });
}
