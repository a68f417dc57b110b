import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createServer as createOnAirServer,
  type OnAirServer,
  type ServerOptions,
} from '@onair/server';
import { createRequestHandler } from './routes.js';
import { createTokenSigner } from './tokens.js';

/** Options of {@link startCoursePlatform}. */
export interface CoursePlatformOptions {
  /** The folder of the built pages (Vite's `dist`). */
  staticDir: string;
  /** The app's port; `0` picks a free one. Default `0`. */
  port?: number;
  /** The OnAir server's port; `0` picks a free one. Default `0`. */
  onairPort?: number;
  /** Interface both bind to. Default `127.0.0.1`. */
  host?: string;
  /** The secret tokens are signed with, 32 characters or more. Default: a random one per start. */
  jwtSecret?: string | undefined;
  /** More OnAir server options (a data folder, media settings). */
  onair?: ServerOptions;
}

/** The running platform: the app server and the OnAir server next to it. */
export interface CoursePlatform {
  /** The app's address, e.g. `http://127.0.0.1:8090`. */
  url: string;
  onair: OnAirServer;
  /** Stops both servers. */
  close(): Promise<void>;
}

/** A JWT secret for this run only: tokens signed before a restart stop working. */
function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Starts the course platform: its HTTP server (users, sessions, lessons, OnAir
 * tokens, the built pages) and the OnAir server it signs tokens for, which
 * accepts those tokens only (no development tokens) and lets only
 * broadcasters (teachers) create streams.
 */
export async function startCoursePlatform(options: CoursePlatformOptions): Promise<CoursePlatform> {
  const host = options.host ?? '127.0.0.1';
  const jwtSecret = options.jwtSecret ?? randomSecret();
  let onair: OnAirServer | undefined;
  const app = createHttpServer(
    createRequestHandler({
      staticDir: options.staticDir,
      signToken: createTokenSigner(jwtSecret),
      onairUrl: () => onair?.url,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    app.once('error', reject);
    app.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (app.address() as AddressInfo).port;
  const origins = [`http://${host}:${port}`];
  if (host === '127.0.0.1') origins.push(`http://localhost:${port}`);
  try {
    onair = await createOnAirServer({
      logLevel: 'error',
      // In memory like the app's own data: a database left from another run would hold
      // streams of lessons this app no longer knows.
      databaseUrl: undefined,
      ...options.onair,
      host,
      port: options.onairPort ?? 0,
      jwtSecret,
      devAuth: false,
      // The pages are on the app's port: OnAir lets them call its API and realtime.
      corsOrigins: origins,
      // Only teachers (broadcasters) create streams; every lesson has Q&A.
      creatorRoles: ['broadcaster'],
      streamDefaults: { qnaEnabled: true },
    });
  } catch (error) {
    app.close();
    throw error;
  }
  const running = onair;
  return {
    url: origins[0] as string,
    onair: running,
    async close() {
      await new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections();
      });
      await running.close();
    },
  };
}
