import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ServerOptions } from '../src/app/config.js';
import { scratchDatabase } from './scratch-database.js';
import { spawnSourceWorker } from './source-worker.js';

/*
 * A deployment of several server processes sharing PostgreSQL (a scratch
 * database) and Redis (a key prefix of its own), as in production. Each
 * node is a child process (killed with SIGKILL for a crash).
 */

const DATABASE_URL =
  process.env.ONAIR_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.ONAIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One server process of a {@link TestCluster}. */
export interface ClusterNode {
  url: string;
  rtmpUrl: string | undefined;
  process: ChildProcess;
}

/** Server processes sharing a database and Redis; {@link TestCluster.close} ends them all. */
export interface TestCluster {
  /** The Redis key prefix the nodes share. */
  prefix: string;
  redis: Redis;
  /** Starts a node; resolves once it listens. Start the first alone: it migrates the database. */
  startNode(overrides?: Partial<ServerOptions>): Promise<ClusterNode>;
  /** Tracks another child process, killed at close (an encoder). */
  adopt(child: ChildProcess): void;
  /** A development token of a new user, issued by `node`. */
  token(node: ClusterNode, displayName: string): Promise<string>;
  close(): Promise<void>;
}

/** Deletes every Redis key under `prefix` (a deployment's keys after its test). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Prepares a cluster: a scratch database, a Redis prefix, no node yet. */
export async function testCluster(): Promise<TestCluster> {
  const prefix = `onair-test-${randomBytes(4).toString('hex')}:`;
  const jwtSecret = randomBytes(32).toString('hex');
  const streamKeySecret = randomBytes(32).toString('hex');
  const redis = new Redis(REDIS_URL);
  const database = await scratchDatabase(DATABASE_URL);
  const children: ChildProcess[] = [];
  return {
    prefix,
    redis,
    startNode(overrides = {}) {
      const options: ServerOptions = {
        jwtSecret,
        streamKeySecret,
        devAuth: true,
        databaseUrl: database.url,
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        logLevel: 'silent',
        restRateLimit: false,
        maxConnectionsPerIp: 0,
        ...overrides,
        media: { ladder: ['240p'], ...overrides.media },
      };
      const child = spawnSourceWorker(new URL('./crash.worker.ts', import.meta.url), {
        ONAIR_WORKER_OPTIONS: JSON.stringify(options),
      });
      children.push(child);
      return new Promise((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
        child.stdout?.once('data', (line: Buffer) =>
          resolve({ ...JSON.parse(line.toString()), process: child }),
        );
      });
    },
    adopt(child) {
      children.push(child);
    },
    async token(node, displayName) {
      const issued = await fetch(`${node.url}/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName }),
      });
      return ((await issued.json()) as { token: string }).token;
    },
    async close() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.removeAllListeners('exit');
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
      await database.drop();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
