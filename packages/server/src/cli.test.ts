import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/* The CLI as an operator runs it: a child process, its output read line by line. */
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const children: ChildProcess[] = [];

function run(args: string[]) {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  // In-memory PGlite, no Redis, no RTMP port: the machine's shared services stay untouched.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--conditions=@onair/source', '--import', tsx, CLI, ...args],
    {
      env: { ...env, RTMP_PORT: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('onair-server --log-level', () => {
  it('rejects an unknown level with a clear message', async () => {
    const cli = run(['--dev', '--log-level', 'verbose']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(
      'onair-server: --log-level must be one of fatal, error, warn, info, debug, silent (got "verbose")',
    );
  }, 60_000);

  it('logs media requests with --log-level debug', async () => {
    const cli = run(['--dev', '--port', '0', '--log-level', 'debug']);
    await expect
      .poll(() => /listening on (http:\/\/\S+)/.test(cli.stdout()), { timeout: 90_000 })
      .toBe(true);
    const url = /listening on (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '';
    await fetch(`${url}/hls/st_clilogtest001/master.m3u8?token=CLI_SECRET`);
    await expect
      .poll(() => cli.stdout().includes('/hls/st_clilogtest001/master.m3u8?token=[redacted]'), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(cli.stdout()).toContain('"level":20');
    expect(cli.stdout()).not.toContain('CLI_SECRET');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 120_000);
});
