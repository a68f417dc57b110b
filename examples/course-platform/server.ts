import { fileURLToPath } from 'node:url';
import { startCoursePlatform } from './backend/app.js';

/** A port from the environment, or the default. */
function portFrom(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`\nCourse platform could not start: ${name} is not a port (${value})\n`);
    process.exit(1);
  }
  return port;
}

const secret = process.env.ONAIR_JWT_SECRET;
if (secret !== undefined && secret.length < 32) {
  process.stderr.write(
    '\nCourse platform could not start: ONAIR_JWT_SECRET is under 32 characters\n',
  );
  process.exit(1);
}
const port = portFrom('PORT', 8090);
const platform = await startCoursePlatform({
  port,
  onairPort: portFrom('ONAIR_PORT', port === 0 ? 0 : port + 1),
  staticDir: fileURLToPath(new URL('./dist', import.meta.url)),
  // Unset: a random secret for this run (tokens do not outlive a restart; neither do the lessons).
  jwtSecret: secret,
  // Behind an HTTPS reverse proxy: COOKIE_SECURE=1 marks the session cookie `Secure`.
  secureCookies: process.env.COOKIE_SECURE === '1',
  onair: { media: { rtmpPort: false } },
}).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message =
    code === 'EADDRINUSE'
      ? 'A port is in use. Start on others: PORT=9090 ONAIR_PORT=9091 pnpm course-platform'
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`\nCourse platform could not start: ${message}\n`);
  process.exit(1);
});

for (const warning of platform.onair.warnings) process.stderr.write(`\nWarning: ${warning}\n`);
process.stdout.write(
  `\nCourse platform running: open ${platform.url} and sign in as the teacher (Ada Lovelace)\n` +
    'or, in another browser or a private window, as a student (Ben Carter, Cleo Diaz).\n' +
    `OnAir server: ${platform.onair.url} (tokens signed by the app, HS256). Stop with Ctrl+C.\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void platform.close().then(() => process.exit(0)));
}
