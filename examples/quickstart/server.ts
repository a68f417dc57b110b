import { fileURLToPath } from 'node:url';
import { createServer } from '@onair/server';

const port = Number(process.env.PORT ?? 8080);
const server = await createServer({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  devAuth: true,
  logLevel: 'error',
  staticDir: fileURLToPath(new URL('./dist', import.meta.url)),
  dataDir: fileURLToPath(new URL('./.onair-data', import.meta.url)),
  media: { rtmpPort: Number(process.env.RTMP_PORT ?? 1935) },
}).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message =
    code === 'EADDRINUSE'
      ? `Port ${port} is already in use. Start on another port: PORT=8081 pnpm quickstart`
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`\nOnAir quickstart could not start: ${message}\n`);
  process.exit(1);
});

for (const warning of server.warnings) process.stderr.write(`\nWarning: ${warning}\n`);
process.stdout.write(
  `\nOnAir quickstart running: open ${server.url}, pick a name, create or schedule a stream and go live.\n` +
    'Viewers (another browser) find it under "Live now".\n' +
    (server.rtmpUrl
      ? `From OBS: Settings → Stream → Custom, server ${server.rtmpUrl}, the stream key shown when you create a stream, keyframe interval 2 s (docs/broadcasting.md).\n`
      : '') +
    'Development mode: anyone can get a token for any name. Stop with Ctrl+C.\n',
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
