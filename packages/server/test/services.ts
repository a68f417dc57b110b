import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/*
 * Test-only helpers for the fault tests: a PostgreSQL and a Redis of the
 * test's own, started as child processes on free loopback ports, that the
 * test may stop and start again at will. The machine's shared PostgreSQL
 * (5432) and Redis (6379) are never touched.
 */

/** A free TCP port on loopback (the kernel's pick; released before it is returned). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Resolves when `child` has exited (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Kills a child by its PID and waits for its exit. */
async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Children still running when the test process exits are killed (a crashed test leaves none). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** The PostgreSQL server binaries: `ONAIR_PG_BIN`, `pg_config --bindir`, or the newest in /usr/lib/postgresql. */
function postgresBin(): string {
  const candidates: string[] = [];
  if (process.env.ONAIR_PG_BIN) candidates.push(process.env.ONAIR_PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config on PATH.
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, postgres) not found: install PostgreSQL or set ONAIR_PG_BIN',
    );
  }
  return found;
}

/**
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the
 * `postgres` user and its processes run as that user.
 */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    return { uid, gid };
  } catch {
    throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as');
  }
}

/** A PostgreSQL server of the test's own. */
export interface LocalPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, loopback only). */
  url: string;
  port: number;
  /** Whether the server is accepting connections. */
  readonly running: boolean;
  /** Fast shutdown (`SIGINT`): open sessions are terminated, as when an operator stops it. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/** Creates a cluster in a temporary folder and starts it; about 2 s. */
export async function startPostgres(): Promise<LocalPostgres> {
  const bin = postgresBin();
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'onair-pg-'));
  const data = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const env = { ...process.env, LC_ALL: 'C', HOME: dir };
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    { ...as, env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let running = false;

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    let output = '';
    const server = track(
      spawn(
        join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-k',
          dir,
          '-c',
          'listen_addresses=127.0.0.1',
          // A throwaway cluster: durability is not what these tests are about.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
        { ...as, env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      ),
    );
    server.stderr?.on('data', (chunk: Buffer) => {
      output = `${output}${chunk.toString()}`.slice(-4000);
    });
    server.once('exit', () => {
      running = false;
    });
    child = server;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`postgres exited at start:\n${output}`);
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        running = true;
        return;
      } catch {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`postgres did not start in 30 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  await start();
  return {
    url,
    port,
    get running() {
      return running;
    },
    start,
    stop: async () => {
      running = false;
      await stopChild(child, 'SIGINT');
    },
    destroy: async () => {
      running = false;
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis server of the test's own (no persistence: a restart comes back empty). */
export interface LocalRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Kills it (`SIGKILL`, as a crash or a dropped host would). */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once it answers. */
  start(): Promise<void>;
}

/** Starts `redis-server` on a free port. */
export async function startRedis(): Promise<LocalRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    let output = '';
    const server = track(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--loglevel',
          'warning',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    child = server;
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output = `${output}${chunk.toString()}`.slice(-4000);
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      server.once('exit', () => reject(new Error(`redis-server exited at start:\n${output}`)));
      server.once('error', reject);
      const poll = async () => {
        for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
          if (await answers(port)) return resolve();
          await new Promise((r) => setTimeout(r, 50));
        }
        reject(new Error(`redis-server did not answer in 10 s:\n${output}`));
      };
      void poll();
    });
    await ready;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    kill: () => stopChild(child, 'SIGKILL'),
  };
}

/** Whether a Redis on loopback `port` answers PING. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port);
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}
