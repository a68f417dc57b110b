import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_FLAGS, cliHelp, PRIVATE_PROXIES, parseCli } from './cli-options.js';
import { ConfigError } from './config-file.js';

const SECRET = 'an-hs256-secret-of-at-least-32-characters';
const dir = mkdtempSync(join(tmpdir(), 'onair-cli-'));
function configFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function run(argv: string[], env: Record<string, string> = {}) {
  const command = parseCli(argv, env);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
}

function failure(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCli(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('parseCli accepted it');
}

describe('onair-server --help', () => {
  it('lists every flag with its environment variables, and the secrets kept out of flags', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    const help = cliHelp();
    for (const flag of CLI_FLAGS) {
      expect(help).toContain(`--${flag.name}`);
      for (const env of flag.env) expect(help).toContain(env);
      expect(flag.env[0]).toMatch(/^ONAIR_/);
    }
    // What the docs recommend for a course platform is all there.
    for (const name of [
      '--config FILE',
      '--cors-origins LIST',
      '--creator-roles LIST',
      '--jwt-issuer',
      '--jwt-audience',
      '--jwks-url',
      '--log-level',
      '--data-dir',
      '--media-dir',
      '--rtmp-port',
      '--rtmp-public-url',
      '--node-url URL',
      '--trust-proxy',
      '--trusted-proxies',
      '--ffmpeg',
      '--qna-default',
      '--reactions-default',
    ]) {
      expect(help).toContain(name);
    }
    for (const secret of [
      'ONAIR_JWT_SECRET',
      'ONAIR_STREAM_KEY_SECRET',
      'DATABASE_URL',
      'REDIS_URL',
      'ONAIR_VAPID_PUBLIC_KEY',
      'ONAIR_VAPID_PRIVATE_KEY',
      'ONAIR_VAPID_SUBJECT',
    ]) {
      expect(help).toContain(secret);
      expect(CLI_FLAGS.some((flag) => flag.env.includes(secret))).toBe(false);
    }
  });
});

describe('parseCli', () => {
  it('has the CLI defaults and reads secrets from the environment only', () => {
    expect(
      run([], { ONAIR_JWT_SECRET: SECRET, ONAIR_STREAM_KEY_SECRET: 'a-stream-key-secret' }),
    ).toEqual({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'info',
      jwtSecret: SECRET,
      streamKeySecret: 'a-stream-key-secret',
    });
    // The environment wins over the config file here too.
    const file = configFile('urls.json', {
      devAuth: true,
      databaseUrl: 'postgres://file/db',
      redisUrl: 'redis://file:6379',
    });
    expect(
      run(['--config', file], { DATABASE_URL: 'postgres://env/db', REDIS_URL: 'redis://env:6379' }),
    ).toMatchObject({ databaseUrl: 'postgres://env/db', redisUrl: 'redis://env:6379' });
    expect(run(['--config', file], {})).toMatchObject({ databaseUrl: 'postgres://file/db' });
  });

  it('turns each flag into createServer options', () => {
    expect(
      run([
        '--dev',
        '--port=0',
        '--host',
        '0.0.0.0',
        '--data-dir',
        '/var/lib/onair',
        '--media-dir',
        '/srv/media',
        '--static',
        './dist',
        '--log-level',
        'debug',
        '--cors-origins',
        'https://app.example.com, http://localhost:5173',
        '--creator-roles',
        'broadcaster,admin',
        '--jwks-url',
        'https://app.example.com/.well-known/jwks.json',
        '--jwt-issuer',
        'https://app.example.com',
        '--jwt-audience',
        'onair',
        '--trust-proxy',
        '--rtmp-port',
        'off',
        '--rtmp-public-url',
        'rtmp://live.example.com/live',
        '--ffmpeg',
        '/opt/ffmpeg/bin/ffmpeg',
        '--qna-default',
        'on',
        '--reactions-default',
        'off',
      ]),
    ).toEqual({
      devAuth: true,
      port: 0,
      host: '0.0.0.0',
      dataDir: '/var/lib/onair',
      staticDir: './dist',
      logLevel: 'debug',
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      creatorRoles: ['broadcaster', 'admin'],
      jwksUrl: 'https://app.example.com/.well-known/jwks.json',
      jwtIssuer: 'https://app.example.com',
      jwtAudience: 'onair',
      trustProxy: PRIVATE_PROXIES,
      media: {
        hlsDir: '/srv/media',
        rtmpPort: false,
        rtmpPublicUrl: 'rtmp://live.example.com/live',
        ffmpegPath: '/opt/ffmpeg/bin/ffmpeg',
      },
      streamDefaults: { qnaEnabled: true, reactionsEnabled: false },
    });
    expect(run(['--dev', '--trusted-proxies', '10.0.0.0/8,192.168.1.5']).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
    ]);
    expect(run(['--dev', '--rtmp-port', '1936']).media).toEqual({ rtmpPort: 1936 });
    expect(run(['--dev', '--node-url', 'http://10.0.0.2:8080']).media).toEqual({
      nodeUrl: 'http://10.0.0.2:8080',
    });
    expect(run(['--dev'], { ONAIR_NODE_URL: 'https://node-2.internal' }).media).toEqual({
      nodeUrl: 'https://node-2.internal',
    });
    expect(failure(['--node-url', '10.0.0.2:8080'])).toBe(
      '--node-url must be an http(s) URL without query or fragment, e.g. http://10.0.0.2:8080 (got "10.0.0.2:8080")',
    );
  });

  it('lets flags win over the environment, the environment over the file, the file over the defaults', () => {
    const file = configFile('layers.json', {
      port: 9000,
      host: '0.0.0.0',
      logLevel: 'warn',
      corsOrigins: ['https://file.example'],
      media: { rtmpPort: 1940, dvrWindowSeconds: 60 },
      streamDefaults: { qnaEnabled: true, reactionsEnabled: false },
    });
    const options = run(['--config', file, '--port', '9100', '--qna-default', 'off'], {
      ONAIR_DEV: '1',
      ONAIR_PORT: '9050',
      ONAIR_LOG_LEVEL: 'error',
      RTMP_PORT: '1950',
    });
    expect(options).toEqual({
      devAuth: true,
      port: 9100, // flag over ONAIR_PORT over the file
      host: '0.0.0.0', // file over the default
      logLevel: 'error', // environment over the file
      corsOrigins: ['https://file.example'],
      media: { rtmpPort: 1950, dvrWindowSeconds: 60 }, // merged field by field
      streamDefaults: { qnaEnabled: false, reactionsEnabled: false },
    });
    // ONAIR_CONFIG names the file too; the documented variable wins over its older name.
    expect(
      run([], { ONAIR_CONFIG: file, ONAIR_DEV: 'true', ONAIR_PORT: '1', PORT: '2' }).port,
    ).toBe(1);
    expect(run([], { ONAIR_CONFIG: file, ONAIR_DEV: 'true', PORT: '2' }).port).toBe(2);
    expect(run([], { ONAIR_CONFIG: file, ONAIR_DEV: 'off' }).devAuth).toBe(false);
  });

  it('refuses bad values with a message naming the flag or variable', () => {
    expect(failure(['--log-level', 'verbose'])).toBe(
      '--log-level must be one of fatal, error, warn, info, debug, silent (got "verbose")',
    );
    expect(failure(['--creator-roles', 'broadcaster,teacher'])).toBe(
      '--creator-roles item 2 must be one of viewer, broadcaster, admin (got "broadcaster,teacher")',
    );
    expect(failure(['--creator-roles', ' , '])).toBe(
      '--creator-roles may not be empty: nobody could create streams (got " , ")',
    );
    expect(failure(['--cors-origins', 'https://app.example.com/path'])).toMatch(
      /^--cors-origins item 1 must be "\*" or an origin like https:\/\/app\.example\.com .*\(got "https:\/\/app\.example\.com\/path"\)$/,
    );
    expect(failure(['--port', 'eighty'])).toBe('--port must be a whole number (got "eighty")');
    expect(failure(['--port', '70000'])).toBe(
      '--port must be a port number (0–65535) (got "70000")',
    );
    expect(failure([], { ONAIR_RTMP_PORT: 'on' })).toBe(
      'ONAIR_RTMP_PORT must be a whole number (got "on")',
    );
    expect(failure(['--qna-default', 'maybe'])).toBe(
      '--qna-default must be on or off (got "maybe")',
    );
    expect(failure([], { ONAIR_DEV: 'sure' })).toBe('ONAIR_DEV must be on or off (got "sure")');
    expect(failure(['--jwks-url', 'ftp://keys'])).toBe(
      '--jwks-url must be an http(s) URL (got "ftp://keys")',
    );
    expect(failure(['--rtmp-public-url', 'live.example.com'])).toBe(
      '--rtmp-public-url must be an rtmp:// or rtmps:// URL (got "live.example.com")',
    );
    expect(failure(['--verbose'])).toMatch(/Unknown option '--verbose'.*see onair-server --help/);
    expect(failure(['--port'])).toMatch(/--port.*argument missing.*see onair-server --help/);
  });

  it('reads the Web Push VAPID keys from the environment, all three or a complaint naming the missing', () => {
    const vapid = {
      ONAIR_VAPID_PUBLIC_KEY: 'BPublicKeyBase64url',
      ONAIR_VAPID_PRIVATE_KEY: 'privateKeyBase64url-hunter2',
      ONAIR_VAPID_SUBJECT: 'mailto:ops@example.com',
    };
    expect(run(['--dev'], vapid).webPush).toEqual({
      publicKey: 'BPublicKeyBase64url',
      privateKey: 'privateKeyBase64url-hunter2',
      subject: 'mailto:ops@example.com',
    });
    // The environment wins over the config file's keys.
    const file = configFile('push.json', {
      devAuth: true,
      webPush: { publicKey: 'filePub', privateKey: 'filePriv', subject: 'mailto:file@example.com' },
    });
    expect(run(['--config', file], vapid).webPush?.publicKey).toBe('BPublicKeyBase64url');
    expect(run(['--config', file], {}).webPush?.publicKey).toBe('filePub');
    expect(run(['--dev'], {}).webPush).toBeUndefined();
    const partial = failure(['--dev'], { ONAIR_VAPID_PRIVATE_KEY: 'privateKeyBase64url-hunter2' });
    expect(partial).toBe(
      'Web Push needs ONAIR_VAPID_PUBLIC_KEY and ONAIR_VAPID_SUBJECT too (or none of the three)',
    );
    expect(partial).not.toContain('hunter2');
  });

  it('never repeats a secret in its complaint', () => {
    const message = failure([], { ONAIR_JWT_SECRET: 'hunter2-too-short' });
    expect(message).toMatch(/^ONAIR_JWT_SECRET: jwtSecret: Too small/);
    const redis = failure(['--dev'], { REDIS_URL: 'http://:hunter2@cache:6379' });
    expect(redis).toBe('REDIS_URL: redisUrl: must be a redis:// or rediss:// URL');
    expect(message).not.toContain('hunter2');
    const file = configFile('secret.json', { jwtSecret: 'hunter2-too-short' });
    expect(failure(['--config', file])).not.toContain('hunter2');
    const hooks = configFile('hooks.json', {
      devAuth: true,
      webhooks: [
        { url: 'https://app.example/hooks', secret: ['hunter2-long-enough-1', 'hunter2'] },
      ],
    });
    expect(failure(['--config', hooks])).toContain('webhooks[0].secret');
    expect(failure(['--config', hooks])).not.toContain('hunter2');
  });
});

describe('--config', () => {
  it('names the file and each field that fails the schema', () => {
    const file = configFile('bad.json', {
      corsOrigin: ['https://typo.example'],
      media: { rtmpPort: 'off', ladder: ['720p', '4k'] },
      creatorRoles: [],
      streamDefaults: { qnaEnabled: 'yes' },
    });
    const message = failure(['--config', file]);
    expect(message.startsWith(`${file}: `)).toBe(true);
    for (const field of [
      'corsOrigin',
      'media.rtmpPort',
      'media.ladder[1]',
      'creatorRoles: may not be empty',
      'corsOrigin: unknown option',
      'streamDefaults.qnaEnabled',
    ]) {
      expect(message).toContain(field);
    }
  });

  it('says when the file is missing or not JSON', () => {
    expect(failure(['--config', join(dir, 'missing.json')])).toMatch(
      /^cannot read config file .*missing\.json: ENOENT/,
    );
    expect(failure(['--config', configFile('broken.json', '{ "port": 80, }')])).toMatch(
      /^config file .*broken\.json is not JSON/,
    );
  });

  it('takes every JSON-expressible option, custom ladder rungs and webhooks included', () => {
    const file = configFile('full.json', {
      devAuth: true,
      creatorRoles: ['broadcaster'],
      webhooks: [
        {
          url: 'https://app.example.com/hooks',
          secret: 'a-webhook-secret-123',
          events: ['stream.started'],
        },
        // A secret being rotated: the new one and the old one.
        {
          url: 'https://app.example.com/rotating',
          secret: ['next-webhook-secret-1', 'a-webhook-secret-123'],
        },
      ],
      restRateLimit: { capacity: 10, refillPerSecond: 2 },
      trustProxy: ['10.0.0.0/8'],
      chatFilter: { words: ['spoiler'], action: 'deny' },
      media: {
        ladder: ['480p', { name: 'tiny', height: 144, videoKbps: 200, audioKbps: 48 }],
        iceServers: [{ urls: 'stun:stun.example.com:3478' }],
        rtmpPort: false,
      },
    });
    expect(run(['--config', file])).toMatchObject({
      creatorRoles: ['broadcaster'],
      webhooks: [
        { url: 'https://app.example.com/hooks', events: ['stream.started'] },
        { secret: ['next-webhook-secret-1', 'a-webhook-secret-123'] },
      ],
      media: { ladder: ['480p', { name: 'tiny', height: 144 }], rtmpPort: false },
    });
  });
});
