import { fileURLToPath } from 'node:url';
import { createServer } from '@onair/server';

const port = Number(process.env.PORT ?? 8080);
const server = await createServer({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  devAuth: true,
  logLevel: 'warn',
  staticDir: fileURLToPath(new URL('./dist', import.meta.url)),
  dataDir: fileURLToPath(new URL('./.onair-data', import.meta.url)),
});
process.stdout.write(
  `\nOnAir quickstart running: open ${server.url} to broadcast, then share the viewer link.\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
