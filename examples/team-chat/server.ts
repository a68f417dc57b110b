import { fileURLToPath } from 'node:url';
import { startTeamChat } from './backend/app.js';

/** A port from the environment, or the default. */
function portFrom(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`\nTeam chat could not start: ${name} is not a port (${value})\n`);
    process.exit(1);
  }
  return port;
}

const secret = process.env.ONAIR_JWT_SECRET;
if (secret !== undefined && secret.length < 32) {
  process.stderr.write('\nTeam chat could not start: ONAIR_JWT_SECRET is under 32 characters\n');
  process.exit(1);
}
const port = portFrom('PORT', 8070);
const teamChat = await startTeamChat({
  port,
  onairPort: portFrom('ONAIR_PORT', port === 0 ? 0 : port + 1),
  staticDir: fileURLToPath(new URL('./dist', import.meta.url)),
  // Unset: a random secret for this run (tokens do not outlive a restart; neither do the messages).
  jwtSecret: secret,
  // Behind an HTTPS reverse proxy: COOKIE_SECURE=1 marks the session cookie `Secure`.
  secureCookies: process.env.COOKIE_SECURE === '1',
  onair: { media: { rtmpPort: false } },
}).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message =
    code === 'EADDRINUSE'
      ? 'A port is in use. Start on others: PORT=9090 ONAIR_PORT=9091 pnpm team-chat'
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`\nTeam chat could not start: ${message}\n`);
  process.exit(1);
});

for (const warning of teamChat.onair.warnings) process.stderr.write(`\nWarning: ${warning}\n`);
process.stdout.write(
  `\nTeam chat running: open ${teamChat.url} and sign in as Mia, Noah or Omar\n` +
    '(one member per browser or private window).\n' +
    `OnAir server: ${teamChat.onair.url} (tokens signed by the app, HS256). Stop with Ctrl+C.\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void teamChat.close().then(() => process.exit(0)));
}
