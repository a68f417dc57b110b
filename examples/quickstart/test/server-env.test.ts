import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/* `pnpm quickstart` as a person runs it, with the environment onair-server reads. */
const SERVER = fileURLToPath(new URL('../server.ts', import.meta.url));
const children: ChildProcess[] = [];

function start(extraEnv: Record<string, string>) {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const dir = mkdtempSync(join(tmpdir(), 'onair-quickstart-'));
  // Data and the (empty) page in a throwaway folder; no shared database or Redis.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
  const child = spawn(process.execPath, ['--conditions=@onair/source', '--import', tsx, SERVER], {
    env: { ...env, PORT: '0', ONAIR_DATA_DIR: dir, ONAIR_STATIC_DIR: dir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => output };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('quickstart server environment', () => {
  it('starts without RTMP when RTMP_PORT=off', async () => {
    const quickstart = start({ RTMP_PORT: 'off' });
    await expect
      .poll(() => quickstart.output().includes('OnAir quickstart running: open http://'), {
        timeout: 90_000,
      })
      .toBe(true);
    expect(quickstart.output()).not.toContain('From OBS');
    quickstart.child.kill('SIGTERM');
    expect(await quickstart.exited).toBe(0);
  }, 120_000);

  it('names the variable that is wrong', async () => {
    const quickstart = start({ RTMP_PORT: 'none' });
    expect(await quickstart.exited).toBe(1);
    expect(quickstart.output()).toContain(
      'OnAir quickstart could not start: RTMP_PORT must be a whole number (got "none")',
    );
  }, 60_000);
});
