import { fileURLToPath } from 'node:url';
import { CLI_DEFAULTS, ConfigError, cliHelp, createServer, parseCli } from '@onair/server';

// The same flags and environment as onair-server (PORT, RTMP_PORT=off, ONAIR_CORS_ORIGINS, …),
// with the quickstart's own defaults: development tokens, this page, data kept in .onair-data.
const command = (() => {
  try {
    return parseCli(process.argv.slice(2), process.env, {
      ...CLI_DEFAULTS,
      devAuth: true,
      logLevel: 'error',
      staticDir: fileURLToPath(new URL('./dist', import.meta.url)),
      dataDir: fileURLToPath(new URL('./.onair-data', import.meta.url)),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`\nOnAir quickstart could not start: ${error.message}\n`);
    process.exit(1);
  }
})();
if (command.kind === 'help') {
  process.stdout.write(cliHelp());
  process.exit(0);
}
const options = command.options;

const server = await createServer(options).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message =
    code === 'EADDRINUSE'
      ? `Port ${options.port} is already in use. Start on another port: PORT=8081 pnpm quickstart`
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`\nOnAir quickstart could not start: ${message}\n`);
  process.exit(1);
});

for (const warning of server.warnings) process.stderr.write(`\nWarning: ${warning}\n`);
const rtmpUrl = server.rtmpUrl && (server.options.media.rtmpPublicUrl ?? server.rtmpUrl);
process.stdout.write(
  `\nOnAir quickstart running: open ${server.url}, pick a name, create or schedule a stream and go live.\n` +
    'Viewers (another browser) find it under "Live now".\n' +
    (rtmpUrl
      ? `From OBS: Settings → Stream → Custom, server ${rtmpUrl}, the stream key shown when you create a stream, keyframe interval 2 s (docs/broadcasting.md).\n`
      : '') +
    (server.options.devAuth
      ? 'Development mode: anyone can get a token for any name. Stop with Ctrl+C.\n'
      : 'Stop with Ctrl+C.\n'),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
