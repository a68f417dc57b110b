import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { npmFfmpegPath } from './media/ffmpeg-binary.js';

/* The CLI as an operator runs it: a child process, its output read line by line. */
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const children: ChildProcess[] = [];

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  // In-memory PGlite, no Redis, no RTMP port: the machine's shared services stay untouched.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--conditions=@onair/source', '--import', tsx, CLI, ...args],
    {
      env: { ...env, RTMP_PORT: 'off', ...extraEnv },
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

describe('onair-server flags, environment and config file', () => {
  it('lists every flag in --help', async () => {
    const cli = run(['--help']);
    expect(await cli.exited).toBe(0);
    for (const flag of [
      '--cors-origins',
      '--creator-roles',
      '--jwt-issuer',
      '--jwt-audience',
      '--config',
    ]) {
      expect(cli.stdout()).toContain(flag);
    }
    expect(cli.stdout()).toContain('ONAIR_CORS_ORIGINS');
  }, 60_000);

  it('exits with a message naming the field when the config file fails the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onair-cli-'));
    const file = join(dir, 'onair.config.json');
    writeFileSync(file, JSON.stringify({ devAuth: true, creatorRoles: ['teacher'] }));
    const cli = run(['--config', file]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(
      `onair-server: ${file}: creatorRoles[0]: must be one of viewer, broadcaster, admin`,
    );
  }, 60_000);

  it('serves a course platform set up from flags, environment and config file', async () => {
    const secret = randomBytes(32).toString('hex');
    const dir = mkdtempSync(join(tmpdir(), 'onair-cli-'));
    const file = join(dir, 'onair.config.json');
    writeFileSync(
      file,
      JSON.stringify({ streamDefaults: { qnaEnabled: true }, restRateLimit: false }),
    );
    // No ffmpeg on PATH: the server falls back to the npm-shipped one and says so.
    const cli = run(
      [
        '--config',
        file,
        '--port',
        '0',
        '--cors-origins',
        'https://courses.example',
        '--jwt-audience',
        'onair',
      ],
      {
        ONAIR_JWT_SECRET: secret,
        ONAIR_CREATOR_ROLES: 'broadcaster',
        ONAIR_JWT_ISSUER: 'https://courses.example',
        PATH: '/nonexistent',
      },
    );
    await expect
      .poll(() => /listening on (http:\/\/\S+)/.test(cli.stdout()), { timeout: 90_000 })
      .toBe(true);
    const url = /listening on (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '';
    expect(cli.stdout()).toContain(`ffmpeg: N-47683-g0e8eb07980-static (${npmFfmpegPath()})`);
    expect(cli.stderr()).toContain(
      'the npm-shipped ffmpeg N-47683-g0e8eb07980-static of @ffmpeg-installer/linux-x64',
    );
    expect(cli.stdout() + cli.stderr()).not.toContain(secret);

    const preflight = (origin: string) =>
      fetch(`${url}/v1/streams`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight('https://courses.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://courses.example');
    expect(
      (await preflight('https://other.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();

    const token = (roles: string[], claims: { iss?: string; aud?: string } = {}) =>
      new SignJWT({ name: 'Ada', roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(`usr_${randomBytes(4).toString('hex')}`)
        .setIssuer(claims.iss ?? 'https://courses.example')
        .setAudience(claims.aud ?? 'onair')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secret));
    const create = async (jwt: string, body: Record<string, unknown> = {}) =>
      fetch(`${url}/v1/streams`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Lecture 1', ...body }),
      });

    // creatorRoles from ONAIR_CREATOR_ROLES: a student may not create a stream, a teacher may.
    const student = await create(await token(['viewer']));
    expect(student.status).toBe(403);
    const teacher = await create(await token(['broadcaster']));
    expect(teacher.status).toBe(201);
    // Q&A on by the config file's default; the request's own value wins.
    expect(((await teacher.json()) as { stream: { qnaEnabled: boolean } }).stream.qnaEnabled).toBe(
      true,
    );
    const explicit = await create(await token(['broadcaster']), { qnaEnabled: false });
    expect(((await explicit.json()) as { stream: { qnaEnabled: boolean } }).stream.qnaEnabled).toBe(
      false,
    );
    // Issuer and audience are checked.
    expect((await create(await token(['broadcaster'], { aud: 'another-app' }))).status).toBe(401);
    expect(
      (await create(await token(['broadcaster'], { iss: 'https://evil.example' }))).status,
    ).toBe(401);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 150_000);
});
