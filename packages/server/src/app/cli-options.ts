import { parseArgs } from 'node:util';
import { ROLES } from '@onair/protocol';
import { LOG_LEVELS } from '../transport/http/logging.js';
import type { ServerOptions } from './config.js';
import {
  ConfigError,
  checkServerConfig,
  loadConfigFile,
  mergeServerOptions,
  parseServerConfig,
  type ServerConfig,
} from './config-file.js';

/** One `onair-server` flag and the environment variables that set it too. */
export interface CliFlag {
  /** `cors-origins` for `--cors-origins`. */
  name: string;
  /** Placeholder of its value in `--help`; absent for a switch (`--dev`). */
  value?: string;
  /** Environment variables, the documented one first (older names after it). */
  env: readonly string[];
  help: string;
  /** The options this value sets (checked against the config schema afterwards). */
  apply?: (raw: string) => ServerConfig;
  /** What a switch sets when on. */
  applySwitch?: () => ServerConfig;
}

const list = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function wholeNumber(raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError('must be a whole number');
  return Number(raw);
}

function onOff(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError('must be on or off');
}

/** Proxy ranges of `--trust-proxy`: loopback and private networks, where a reverse proxy sits. */
export const PRIVATE_PROXIES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Every flag of `onair-server`. Each has an environment variable; secrets
 * (`ONAIR_JWT_SECRET`, `ONAIR_STREAM_KEY_SECRET`, `DATABASE_URL`,
 * `REDIS_URL`, `ONAIR_METRICS_TOKEN`, `ONAIR_VAPID_*`) have no flag, so they never show in a
 * process list.
 */
export const CLI_FLAGS: readonly CliFlag[] = [
  {
    name: 'config',
    value: 'FILE',
    env: ['ONAIR_CONFIG'],
    help: 'JSON file with any createServer option (docs/host-app.md); flags and environment win over it',
  },
  {
    name: 'port',
    value: 'PORT',
    env: ['ONAIR_PORT', 'PORT'],
    help: 'HTTP port; 0 picks a free one (default 8080)',
    apply: (raw) => ({ port: wholeNumber(raw) }),
  },
  {
    name: 'host',
    value: 'ADDRESS',
    env: ['ONAIR_HOST', 'HOST'],
    help: 'interface to bind; 0.0.0.0 for every one (default 127.0.0.1)',
    apply: (raw) => ({ host: raw }),
  },
  {
    name: 'data-dir',
    value: 'DIR',
    env: ['ONAIR_DATA_DIR'],
    help: 'keeps the embedded database and recordings (under DIR/media) across restarts',
    apply: (raw) => ({ dataDir: raw }),
  },
  {
    name: 'media-dir',
    value: 'DIR',
    env: ['ONAIR_MEDIA_DIR'],
    help: 'recordings and the HLS archive (default DIR/media of --data-dir, else a temporary folder deleted at stop)',
    apply: (raw) => ({ media: { hlsDir: raw } }),
  },
  {
    name: 'static',
    value: 'DIR',
    env: ['ONAIR_STATIC_DIR'],
    help: 'folder of static files served at /',
    apply: (raw) => ({ staticDir: raw }),
  },
  {
    name: 'log-level',
    value: 'LEVEL',
    env: ['ONAIR_LOG_LEVEL'],
    help: `${LOG_LEVELS.join(', ')} (default info; debug adds every HLS/WHEP request)`,
    apply: (raw) => ({ logLevel: raw as ServerConfig['logLevel'] }),
  },
  {
    name: 'cors-origins',
    value: 'LIST',
    env: ['ONAIR_CORS_ORIGINS'],
    help: 'comma-separated browser origins allowed to call the API and realtime, e.g. https://app.example.com ("*": any; default: same origin only)',
    apply: (raw) => ({ corsOrigins: list(raw) }),
  },
  {
    name: 'creator-roles',
    value: 'LIST',
    env: ['ONAIR_CREATOR_ROLES'],
    help: `roles that may create streams, of ${ROLES.join(', ')} (default: every signed-in user)`,
    apply: (raw) => ({ creatorRoles: list(raw) as ServerConfig['creatorRoles'] }),
  },
  {
    name: 'jwks-url',
    value: 'URL',
    env: ['ONAIR_JWKS_URL'],
    help: "your app's signing keys (RS256, ES256, EdDSA tokens); or set ONAIR_JWT_SECRET",
    apply: (raw) => ({ jwksUrl: raw }),
  },
  {
    name: 'jwt-issuer',
    value: 'ISS',
    env: ['ONAIR_JWT_ISSUER'],
    help: 'required iss claim of user tokens (default: not checked)',
    apply: (raw) => ({ jwtIssuer: raw }),
  },
  {
    name: 'jwt-audience',
    value: 'AUD',
    env: ['ONAIR_JWT_AUDIENCE'],
    help: 'required aud claim of user tokens (default: not checked)',
    apply: (raw) => ({ jwtAudience: raw }),
  },
  {
    name: 'trust-proxy',
    env: ['ONAIR_TRUST_PROXY'],
    help: 'take client addresses (rate limits, connection caps) from X-Forwarded-For when the peer is on loopback or a private network (your reverse proxy)',
    applySwitch: () => ({ trustProxy: PRIVATE_PROXIES }),
  },
  {
    name: 'trusted-proxies',
    value: 'LIST',
    env: ['ONAIR_TRUSTED_PROXIES'],
    help: 'like --trust-proxy, for the proxies at these addresses or CIDR ranges only',
    apply: (raw) => ({ trustProxy: list(raw) }),
  },
  {
    name: 'rtmp-port',
    value: 'PORT',
    env: ['ONAIR_RTMP_PORT', 'RTMP_PORT'],
    help: 'RTMP ingest port; 0 picks a free one, off turns RTMP off (default 1935)',
    apply: (raw) => ({
      media: { rtmpPort: raw.trim() === 'off' ? false : wholeNumber(raw) },
    }),
  },
  {
    name: 'rtmp-public-url',
    value: 'URL',
    env: ['ONAIR_RTMP_PUBLIC_URL'],
    help: 'RTMP URL broadcasters are given, e.g. rtmp://live.example.com/live (default rtmp://HOST:PORT/live)',
    apply: (raw) => ({ media: { rtmpPublicUrl: raw } }),
  },
  {
    name: 'node-url',
    value: 'URL',
    env: ['ONAIR_NODE_URL'],
    help: 'where the other servers of a deployment (REDIS_URL) reach this one, e.g. http://10.0.0.2:8080, for HLS of streams published here (default http://HOST:PORT, 127.0.0.1 for 0.0.0.0)',
    apply: (raw) => ({ media: { nodeUrl: raw } }),
  },
  {
    name: 'ffmpeg',
    value: 'PATH',
    env: ['ONAIR_FFMPEG_PATH', 'FFMPEG_PATH'],
    help: 'ffmpeg binary (default: ffmpeg on PATH, else the npm-shipped one of @ffmpeg-installer)',
    apply: (raw) => ({ media: { ffmpegPath: raw } }),
  },
  {
    name: 'qna-default',
    value: 'on|off',
    env: ['ONAIR_QNA_DEFAULT'],
    help: 'Q&A of a stream created without qnaEnabled (default off)',
    apply: (raw) => ({ streamDefaults: { qnaEnabled: onOff(raw) } }),
  },
  {
    name: 'reactions-default',
    value: 'on|off',
    env: ['ONAIR_REACTIONS_DEFAULT'],
    help: 'reactions of a stream created without reactionsEnabled (default on)',
    apply: (raw) => ({
      streamDefaults: { reactionsEnabled: onOff(raw) },
    }),
  },
  {
    name: 'dev',
    env: ['ONAIR_DEV'],
    help: 'development token issuer: anyone gets a token for any name (never in production)',
    applySwitch: () => ({ devAuth: true }),
  },
];

/** Secrets and URLs with credentials: environment only. */
const ENV_ONLY = [
  ['ONAIR_JWT_SECRET', 'HS256 secret your app signs user tokens with (at least 32 characters)'],
  [
    'ONAIR_STREAM_KEY_SECRET',
    'secret of stream-key HMACs (keys survive restarts; the same on every server)',
  ],
  ['DATABASE_URL', 'PostgreSQL (default: embedded PGlite, in --data-dir or in memory)'],
  ['REDIS_URL', 'share realtime rooms, rate limits and presence between servers'],
  [
    'ONAIR_METRICS_TOKEN',
    '/metrics needs "Authorization: Bearer <token>" (at least 16 characters)',
  ],
  ['ONAIR_VAPID_PUBLIC_KEY', 'Web Push: the VAPID public key (base64url; set all three or none)'],
  ['ONAIR_VAPID_PRIVATE_KEY', 'Web Push: the VAPID private key (base64url)'],
  ['ONAIR_VAPID_SUBJECT', 'Web Push: your contact, a mailto: or https: URL'],
] as const;

/** The Web Push variables: the VAPID key pair and subject, all three or none. */
const VAPID_ENV = [
  'ONAIR_VAPID_PUBLIC_KEY',
  'ONAIR_VAPID_PRIVATE_KEY',
  'ONAIR_VAPID_SUBJECT',
] as const;

/** What `onair-server --help` prints. */
export function cliHelp(): string {
  const flags = CLI_FLAGS.map((flag) => {
    const usage = `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
    return `  ${usage.padEnd(28)} ${flag.help}\n  ${''.padEnd(28)} env ${flag.env.join(', ')}`;
  });
  const env = ENV_ONLY.map(([name, help]) => `  ${name.padEnd(28)} ${help}`);
  return [
    'Usage: onair-server [flags]',
    '',
    'Flags (each also an environment variable; flags win over the environment,',
    'the environment over --config, --config over the defaults):',
    ...flags,
    '  --help                       this text',
    '',
    'Environment only (secrets never go on the command line):',
    ...env,
    '',
    'Production needs ONAIR_JWT_SECRET or --jwks-url (or jwtSecret / jwksUrl in --config).',
    '',
  ].join('\n');
}

/** What the command line asks for. */
export type CliCommand = { kind: 'help' } | { kind: 'run'; options: ServerOptions };

/**
 * Defaults of the CLI where they differ from `createServer`'s: port 8080,
 * host 127.0.0.1, log level `info`. A program with defaults of its own
 * spreads them and passes the result to {@link parseCli}.
 */
export const CLI_DEFAULTS: ServerOptions = { port: 8080, host: '127.0.0.1', logLevel: 'info' };

/**
 * Reads flags, environment and config file into `createServer` options:
 * flags win over the environment, the environment over the config file, the
 * file over the defaults ({@link CLI_DEFAULTS}, or `defaults` for a program
 * of its own such as the quickstart). Throws a {@link ConfigError} naming the
 * flag, variable or config field that is wrong (never a secret's value).
 *
 * @example
 * ```ts
 * const command = parseCli(process.argv.slice(2), process.env);
 * if (command.kind === 'run') await createServer(command.options);
 * ```
 */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaults: ServerOptions = CLI_DEFAULTS,
): CliCommand {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see onair-server --help)`);
  }
  if (parsed.help) return { kind: 'help' };

  const fromFlags: ServerOptions[] = [];
  const fromEnv: ServerOptions[] = [];
  let configFile: string | undefined;
  for (const flag of CLI_FLAGS) {
    const given = parsed[flag.name];
    const envName = flag.env.find((name) => env[name] !== undefined && env[name] !== '');
    const envValue = envName === undefined ? undefined : env[envName];
    if (flag.name === 'config') {
      configFile = typeof given === 'string' ? given : envValue;
      continue;
    }
    if (given !== undefined) {
      fromFlags.push(flagOptions(flag, given, `--${flag.name}`));
    } else if (envName !== undefined && envValue !== undefined) {
      fromEnv.push(flagOptions(flag, envValue, envName));
    }
  }
  // Secrets, one layer each so that a complaint names its variable (and never its value).
  const secrets = (
    [
      ['ONAIR_JWT_SECRET', 'jwtSecret'],
      ['ONAIR_STREAM_KEY_SECRET', 'streamKeySecret'],
      ['DATABASE_URL', 'databaseUrl'],
      ['REDIS_URL', 'redisUrl'],
    ] as const
  ).flatMap(([name, field]) =>
    env[name] ? [parseServerConfig({ [field]: env[name] }, name)] : [],
  );
  if (env.ONAIR_METRICS_TOKEN) {
    const token = env.ONAIR_METRICS_TOKEN;
    secrets.push(parseServerConfig({ metrics: { token } }, 'ONAIR_METRICS_TOKEN'));
  }
  const vapid = VAPID_ENV.map((name) => env[name] || undefined);
  if (vapid.some(Boolean)) {
    const missing = VAPID_ENV.filter((_, i) => !vapid[i]);
    if (missing.length > 0) {
      throw new ConfigError(`Web Push needs ${missing.join(' and ')} too (or none of the three)`);
    }
    const [publicKey, privateKey, subject] = vapid as [string, string, string];
    secrets.push(
      parseServerConfig({ webPush: { publicKey, privateKey, subject } }, 'ONAIR_VAPID_*'),
    );
  }
  const layers = [
    defaults,
    ...(configFile ? [loadConfigFile(configFile)] : []),
    ...secrets,
    ...fromEnv,
    ...fromFlags,
  ];
  return { kind: 'run', options: mergeServerOptions(...layers) };
}

/**
 * The options one flag or variable sets, checked by the config schema. A
 * complaint names the flag and repeats the value: flags and these variables
 * carry no secrets.
 */
function flagOptions(flag: CliFlag, value: string | boolean, source: string): ServerOptions {
  const complain = (message: string) =>
    new ConfigError(`${source} ${message}${typeof value === 'string' ? ` (got "${value}")` : ''}`);
  let config: ServerConfig;
  try {
    if (flag.applySwitch) {
      const on = typeof value === 'boolean' ? value : onOff(value);
      config = on ? flag.applySwitch() : switchOff(flag);
    } else {
      config = (flag.apply as (raw: string) => ServerConfig)(String(value));
    }
  } catch (error) {
    if (error instanceof ConfigError) throw complain(error.message);
    throw error;
  }
  const result = checkServerConfig(config);
  if (result.ok) return result.options;
  // The path below the option the flag sets: a list item's position, if any.
  const depth = 'media' in config || 'streamDefaults' in config ? 2 : 1;
  const problems = result.problems.map(({ path, message }) => {
    const item = path.slice(depth).find((key) => typeof key === 'number');
    return item === undefined ? message : `item ${item + 1} ${message}`;
  });
  throw complain(problems.join('; '));
}

/** A switch turned off from the environment (`ONAIR_DEV=0`). */
function switchOff(flag: CliFlag): ServerConfig {
  return flag.name === 'dev' ? { devAuth: false } : { trustProxy: false };
}

function parseFlags(argv: readonly string[]) {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const flag of CLI_FLAGS) options[flag.name] = { type: flag.value ? 'string' : 'boolean' };
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  return values as Record<string, string | boolean | undefined>;
}
