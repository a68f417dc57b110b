import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, isIPv6 } from 'node:net';
import {
  createServer as createOnAirServer,
  type OnAirServer,
  type ServerOptions,
} from '@onair/server';
import { createRequestHandler } from './routes.js';
import { createTokenSigner, TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens.js';

/** Options of {@link startCoursePlatform}. */
export interface CoursePlatformOptions {
  /** The folder of the built pages (Vite's `dist`). */
  staticDir: string;
  /** The app's port; `0` picks a free one. Default `0`. */
  port?: number;
  /** The OnAir server's port; `0` picks a free one. Default `0`. */
  onairPort?: number;
  /**
   * Interface both bind to (an IPv4 or IPv6 address or a name, not a wildcard
   * such as `0.0.0.0`: the app's origin is made from it). Default `127.0.0.1`.
   */
  host?: string;
  /** Mark the session cookie `Secure`: the app is served over HTTPS. Default `false`. */
  secureCookies?: boolean;
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

/** `host:port` for a URL: an IPv6 address in brackets. */
function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Starts the course platform: its HTTP server (users, sessions, lessons, OnAir
 * tokens, the built pages) and the OnAir server it signs tokens for, which
 * accepts those tokens only (no development tokens) and lets only
 * broadcasters (teachers) create streams.
 */
export async function startCoursePlatform(options: CoursePlatformOptions): Promise<CoursePlatform> {
  const host = options.host ?? '127.0.0.1';
  if (['0.0.0.0', '::', '[::]', ''].includes(host)) {
    throw new Error(
      `host ${host || '(empty)'} is a wildcard: pages need one origin, so bind one address ` +
        '(and put a reverse proxy in front to serve other machines)',
    );
  }
  const jwtSecret = options.jwtSecret ?? randomSecret();
  let onair: OnAirServer | undefined;
  // Filled once the port is known, before the OnAir server (and so any route) answers.
  const origins: string[] = [];
  const app = createHttpServer(
    createRequestHandler({
      staticDir: options.staticDir,
      signToken: createTokenSigner(jwtSecret),
      onairUrl: () => onair?.url,
      origins,
      secureCookies: options.secureCookies ?? false,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    app.once('error', reject);
    app.listen(options.port ?? 0, host, () => {
      app.off('error', reject);
      resolve();
    });
  });
  const port = (app.address() as AddressInfo).port;
  origins.push(`http://${hostPort(host, port)}`);
  if (host === '127.0.0.1' || host === '::1') origins.push(`http://localhost:${port}`);
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
      // Only this app's tokens (`iss`), made for OnAir (`aud`).
      jwtIssuer: TOKEN_ISSUER,
      jwtAudience: TOKEN_AUDIENCE,
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
