#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createServer } from './app/server.js';
import { LOG_LEVELS, type LogLevel } from './transport/http/logging.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    'data-dir': { type: 'string' },
    'media-dir': { type: 'string' },
    static: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'trust-proxy': { type: 'boolean', default: false },
    dev: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`onair-server [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--media-dir DIR] [--static DIR] [--log-level info] [--trust-proxy] [--dev]

--data-dir keeps the embedded database and recordings (under DIR/media) across restarts;
--media-dir puts recordings and the HLS archive elsewhere. Without either, recordings
go to a temporary folder deleted when the server stops.

Environment: DATABASE_URL (PostgreSQL; embedded PGlite when unset),
ONAIR_JWT_SECRET (HS256 secret shared with your app) and/or ONAIR_JWKS_URL
(your app's signing keys), ONAIR_STREAM_KEY_SECRET, FFMPEG_PATH (default: ffmpeg on PATH),
RTMP_PORT (RTMP ingest, default 1935; 0 for a free port, "off" to turn it off),
REDIS_URL (share realtime rooms, rate limits and presence between servers).
--log-level: fatal, error, warn, info (default), debug (adds every HLS/WHEP request) or silent.
--trust-proxy takes client addresses (rate limits, connection caps) from X-Forwarded-For
when the peer is on loopback or a private network (your reverse proxy); without it
every viewer behind a proxy shares the proxy's address.
--dev enables the development token issuer (never in production).
`);
  process.exit(0);
}

const logLevel = values['log-level'];
if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
  process.stderr.write(
    `onair-server: --log-level must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")\n`,
  );
  process.exit(1);
}

if (!values.dev && !process.env.ONAIR_JWT_SECRET && !process.env.ONAIR_JWKS_URL) {
  process.stderr.write(
    'onair-server: set ONAIR_JWT_SECRET (at least 32 characters: the HS256 secret your app signs user tokens with) or ONAIR_JWKS_URL, or pass --dev for local development.\n',
  );
  process.exit(1);
}

const server = await createServer({
  port: Number(values.port),
  host: values.host,
  devAuth: values.dev,
  logLevel: logLevel as LogLevel,
  ...(process.env.ONAIR_JWT_SECRET ? { jwtSecret: process.env.ONAIR_JWT_SECRET } : {}),
  ...(process.env.ONAIR_JWKS_URL ? { jwksUrl: process.env.ONAIR_JWKS_URL } : {}),
  ...(process.env.ONAIR_STREAM_KEY_SECRET
    ? { streamKeySecret: process.env.ONAIR_STREAM_KEY_SECRET }
    : {}),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  ...(values.static ? { staticDir: values.static } : {}),
  ...(values['trust-proxy'] ? { trustProxy: ['loopback', 'linklocal', 'uniquelocal'] } : {}),
  media: {
    ...(values['media-dir'] ? { hlsDir: values['media-dir'] } : {}),
    ...(process.env.FFMPEG_PATH ? { ffmpegPath: process.env.FFMPEG_PATH } : {}),
    ...(process.env.RTMP_PORT
      ? { rtmpPort: process.env.RTMP_PORT === 'off' ? false : Number(process.env.RTMP_PORT) }
      : {}),
  },
}).catch((error: unknown) => {
  process.stderr.write(`onair-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

process.stdout.write(
  `OnAir server listening on ${server.url} (storage: ${server.storage})${server.rtmpUrl ? `, RTMP ingest on ${server.rtmpUrl}` : ''}\n`,
);
for (const warning of server.warnings) process.stderr.write(`warning: ${warning}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
