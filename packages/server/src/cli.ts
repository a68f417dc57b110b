#!/usr/bin/env node
import { cliHelp, parseCli } from './app/cli-options.js';
import { ConfigError } from './app/config-file.js';
import { createServer } from './app/server.js';
import { ffmpegVersion } from './media/ffmpeg-binary.js';

function fail(message: string): never {
  process.stderr.write(`onair-server: ${message}\n`);
  process.exit(1);
}

let command: ReturnType<typeof parseCli>;
try {
  command = parseCli(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
if (command.kind === 'help') {
  process.stdout.write(cliHelp());
  process.exit(0);
}
const options = command.options;

if (!options.devAuth && !options.jwtSecret && !options.jwksUrl) {
  fail(
    'set ONAIR_JWT_SECRET (at least 32 characters: the HS256 secret your app signs user tokens with) or --jwks-url, or pass --dev for local development.',
  );
}

const server = await createServer(options).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);

// Which ffmpeg packages HLS, before the line that says the server is up.
if (server.options.media.enabled) {
  const ffmpeg = server.options.media.ffmpegPath;
  const version = ffmpegVersion(ffmpeg)?.version;
  process.stdout.write(
    `ffmpeg: ${version ? `${version} (${ffmpeg})` : `not running (${ffmpeg})`}\n`,
  );
}
const { rtmpUrl } = server;
process.stdout.write(
  `OnAir server listening on ${server.url} (storage: ${server.storage})${rtmpUrl ? `, RTMP ingest on ${rtmpUrl}` : ''}\n`,
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
