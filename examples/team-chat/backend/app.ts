import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createServer as createOnAirServer,
  type OnAirServer,
  type ServerOptions,
} from '@onair/server';
import { ChannelStore } from './channels.js';
import { createWebhookReceiver, WEBHOOK_EVENTS, WEBHOOK_PATH } from './onair-webhook.js';
import { createRequestHandler } from './routes.js';
import { SessionStore } from './sessions.js';
import { createTokenSigner, TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens.js';

/** Options of {@link startTeamChat}. */
export interface TeamChatOptions {
  /** The folder of the built pages (Vite's `dist`). */
  staticDir: string;
  /** The app's port; `0` picks a free one. Default `0`. */
  port?: number;
  /** The OnAir server's port; `0` picks a free one. Default `0`. */
  onairPort?: number;
  /** Interface both bind to. Default `127.0.0.1`. */
  host?: string;
  /** Mark the session cookie `Secure`: the app is served over HTTPS. Default `false`. */
  secureCookies?: boolean;
  /** The secret tokens are signed with, 32 characters or more. Default: a random one per start. */
  jwtSecret?: string | undefined;
  /** More OnAir server options (a data folder, media settings). */
  onair?: ServerOptions;
}

/** The running team chat: the app server and the OnAir server next to it. */
export interface TeamChat {
  /** The app's address, e.g. `http://127.0.0.1:8090`. */
  url: string;
  onair: OnAirServer;
  /** Stops both servers. */
  close(): Promise<void>;
}

/** The team's channels. */
const CHANNELS = [
  { id: 'general', name: '#general' },
  { id: 'design', name: '#design' },
];

/** A JWT secret for this run only: tokens signed before a restart stop working. */
function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Starts the team chat: its HTTP server (members, sessions, channels and
 * messages, OnAir tokens, the built pages, OnAir's webhook) and the OnAir
 * server it signs tokens for (those tokens only: no development tokens),
 * which posts to the app when a channel's stream is scheduled, starts or ends.
 */
export async function startTeamChat(options: TeamChatOptions): Promise<TeamChat> {
  const host = options.host ?? '127.0.0.1';
  const jwtSecret = options.jwtSecret ?? randomSecret();
  let onair: OnAirServer | undefined;
  const channels = new ChannelStore(CHANNELS);
  const sessions = new SessionStore();
  // Filled once the port is known, before the OnAir server (and so any route) answers.
  const origins: string[] = [];
  // OnAir signs the events it posts to the app with it; a new one each start.
  const webhookSecret = randomSecret();
  const app = createHttpServer(
    createRequestHandler({
      staticDir: options.staticDir,
      signToken: createTokenSigner(jwtSecret),
      channels,
      onairUrl: () => onair?.url,
      sessions,
      origins,
      secureCookies: options.secureCookies ?? false,
      webhook: createWebhookReceiver(channels, webhookSecret),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    app.once('error', reject);
    app.listen(options.port ?? 0, host, () => {
      // Listening: later server errors are not a failed start.
      app.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    sessions.close();
    throw error;
  });
  const port = (app.address() as AddressInfo).port;
  origins.push(`http://${host}:${port}`);
  if (host === '127.0.0.1') origins.push(`http://localhost:${port}`);
  try {
    onair = await createOnAirServer({
      logLevel: 'error',
      // In memory like the app's own data: a database left from another run would hold
      // streams of channels this app no longer knows.
      databaseUrl: undefined,
      ...options.onair,
      host,
      port: options.onairPort ?? 0,
      jwtSecret,
      // Only this app's tokens (`iss`), made for OnAir (`aud`).
      jwtIssuer: TOKEN_ISSUER,
      jwtAudience: TOKEN_AUDIENCE,
      devAuth: false,
      // The pages are on the app's port: OnAir lets them call its API and realtime.
      corsOrigins: origins,
      // Only broadcasters create streams: every member is one (the app decides in its tokens).
      creatorRoles: ['broadcaster'],
      // What goes live, is scheduled or ends in a channel: OnAir tells the app at once.
      webhooks: [
        { url: `${origins[0]}${WEBHOOK_PATH}`, secret: webhookSecret, events: WEBHOOK_EVENTS },
      ],
    });
  } catch (error) {
    sessions.close();
    app.close();
    throw error;
  }
  const running = onair;
  return {
    url: origins[0] as string,
    onair: running,
    async close() {
      sessions.close();
      await new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections();
      });
      await running.close();
    },
  };
}
