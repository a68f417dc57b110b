import type { IncomingMessage, ServerResponse } from 'node:http';
import { OnAirError } from '@onair/protocol';
import {
  type AppConfig,
  type CreatedChannelStream,
  MAX_MESSAGE_LENGTH,
  type Member,
} from '../shared/api.js';
import type { ChannelStore } from './channels.js';
import { ApiError, logError, readJson, sendError, sendJson } from './http.js';
import { createChannelStream } from './onair-api.js';
import { WEBHOOK_PATH } from './onair-webhook.js';
import { type SessionStore, sessionCookie, sessionIdOf } from './sessions.js';
import { serveStatic } from './static.js';
import type { TokenSigner } from './tokens.js';
import { findMember, MEMBERS } from './users.js';

/** What the routes need. */
export interface RouteOptions {
  /** The folder of the built pages. */
  staticDir: string;
  signToken: TokenSigner;
  channels: ChannelStore;
  /** The OnAir server's URL, once it runs. */
  onairUrl: () => string | undefined;
  /** The signed-in sessions. */
  sessions: SessionStore;
  /** The app's own origins (`http://127.0.0.1:8070`): the only ones that may post to `/api/…`. */
  origins: readonly string[];
  /** Mark the session cookie `Secure` (the app is served over HTTPS). Default `false`. */
  secureCookies?: boolean;
  /** Receives OnAir's events at {@link WEBHOOK_PATH} (`createWebhookReceiver`). */
  webhook: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

/** A node:http request listener. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

const CHANNEL_PATH = /^\/api\/channels\/([\w-]+)\/(messages|streams)$/;

/**
 * The URL of a request. A target that is not a plain path (`//host`, `/\`,
 * `*`, an absolute URL) is a typed 400: `new URL` would throw or read another host.
 */
function urlOf(request: IncomingMessage): URL {
  const target = request.url ?? '/';
  if (!/^\/(?![/\\])/.test(target)) {
    throw new ApiError(400, 'BAD_REQUEST', 'The request target is not a path');
  }
  try {
    return new URL(target, 'http://app.invalid');
  } catch {
    throw new ApiError(400, 'BAD_REQUEST', 'The request target is not a path');
  }
}

/**
 * Whether a request comes from the app's own pages: its `Origin` is one of
 * the app's, or the browser says it is same-origin (`Sec-Fetch-Site`).
 */
function fromOwnPages(request: IncomingMessage, origins: readonly string[]): boolean {
  const { origin } = request.headers;
  return (
    request.headers['sec-fetch-site'] === 'same-origin' ||
    (origin !== undefined && origins.includes(origin))
  );
}

/** A message's text, trimmed, or a typed 400. */
function messageText(text: unknown): string {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed.length < 1 || trimmed.length > MAX_MESSAGE_LENGTH) {
    throw new ApiError(400, 'MESSAGE_LENGTH', `A message is 1 to ${MAX_MESSAGE_LENGTH} characters`);
  }
  return trimmed;
}

/** A stream title (one line, 1–140 characters), or a typed 400. */
function streamTitle(title: unknown): string {
  const text = typeof title === 'string' ? title.trim() : '';
  if (text.length < 1 || text.length > 140 || /[\r\n]/.test(text)) {
    throw new ApiError(400, 'BAD_REQUEST', 'A title is one line of 1 to 140 characters');
  }
  return text;
}

/** An optional start time (ISO, in the future), or a typed 400. */
function startTime(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const at = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
    throw new ApiError(400, 'BAD_REQUEST', 'A scheduled start is a time in the future');
  }
  return at.toISOString();
}

/**
 * The app's routes: sign-in and sessions, the OnAir token, channels and their
 * messages, streams created in a channel (through OnAir's REST API as the
 * member), OnAir's webhook and the built pages. Members, sessions and messages live in memory.
 */
export function createRequestHandler(options: RouteOptions): RequestHandler {
  const { signToken, channels, sessions } = options;
  const cookie = (sessionId: string | null) => sessionCookie(sessionId, options.secureCookies);

  /** The signed-in member, or a 401. */
  const signedIn = (request: IncomingMessage): Member => {
    const member = findMember(sessions.userId(sessionIdOf(request)) ?? '');
    if (!member) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first');
    return member;
  };

  /** Creates a stream in a channel, owned by the member, and says so in the channel. */
  const createStream = async (
    onairUrl: string,
    member: Member,
    channelId: string,
    body: Record<string, unknown>,
  ): Promise<CreatedChannelStream> => {
    const title = streamTitle(body.title);
    const scheduledAt = startTime(body.scheduledAt);
    const stream = await createChannelStream(onairUrl, await signToken(member), {
      channelId,
      title,
      scheduledAt,
    });
    channels.post(
      channelId,
      null,
      scheduledAt === null
        ? `${member.name} started a live stream: ${title}`
        : `${member.name} scheduled a live stream: ${title} (${scheduledAt})`,
    );
    return { streamId: stream.id, title, scheduledAt };
  };

  async function route(request: IncomingMessage, response: ServerResponse, onairUrl: string) {
    const url = urlOf(request);
    const { pathname } = url;
    if (
      pathname.startsWith('/api/') &&
      request.method !== 'GET' &&
      !fromOwnPages(request, options.origins)
    ) {
      // Cross-site request forgery: another site's page posting with the member's cookie.
      throw new ApiError(403, 'FORBIDDEN_ORIGIN', 'Only the team chat pages may do this');
    }
    // OnAir's events: checked by their signature, not by a session or an origin.
    if (pathname === WEBHOOK_PATH) return options.webhook(request, response);
    const route = `${request.method} ${pathname}`;
    const [, channelId, collection] = CHANNEL_PATH.exec(pathname) ?? [];

    if (route === 'GET /api/config') {
      const config: AppConfig = { onairUrl };
      return sendJson(response, 200, config);
    }
    if (route === 'GET /api/members') return sendJson(response, 200, MEMBERS);
    if (route === 'POST /api/sign-in') {
      const { memberId } = await readJson(request);
      const member = typeof memberId === 'string' ? findMember(memberId) : undefined;
      if (!member) throw new ApiError(400, 'BAD_REQUEST', 'No such member');
      sessions.delete(sessionIdOf(request));
      return sendJson(response, 200, member, { 'set-cookie': cookie(sessions.create(member.id)) });
    }
    if (route === 'POST /api/sign-out') {
      sessions.delete(sessionIdOf(request));
      response.writeHead(204, { 'set-cookie': cookie(null) });
      return response.end();
    }
    if (route === 'GET /api/me') return sendJson(response, 200, signedIn(request));
    if (route === 'GET /api/onair-token') {
      // A credential: only for a signed-in session, never cached.
      const token = await signToken(signedIn(request));
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      return response.end(token);
    }
    if (route === 'GET /api/channels') {
      signedIn(request);
      return sendJson(response, 200, channels.list());
    }
    if (channelId && collection) {
      const member = signedIn(request);
      if (!channels.has(channelId)) throw new ApiError(404, 'NOT_FOUND', 'No such channel');
      if (collection === 'messages' && request.method === 'GET') {
        const after = Number(url.searchParams.get('after') ?? 0);
        return sendJson(response, 200, channels.messages(channelId, after || 0));
      }
      if (collection === 'messages' && request.method === 'POST') {
        const { text } = await readJson(request);
        return sendJson(response, 201, channels.post(channelId, member, messageText(text)));
      }
      if (collection === 'streams' && request.method === 'POST') {
        const body = await readJson(request);
        return sendJson(response, 201, await createStream(onairUrl, member, channelId, body));
      }
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'Not allowed here');
    }
    if (pathname.startsWith('/api/')) throw new ApiError(404, 'NOT_FOUND', 'No such route');
    if (request.method === 'GET' && (await serveStatic(options.staticDir, pathname, response))) {
      return;
    }
    // A single-page app: other paths get the page.
    if (request.method === 'GET' && (await serveStatic(options.staticDir, '/', response))) return;
    throw new ApiError(404, 'NOT_FOUND', 'Not found');
  }

  return (request, response) => {
    const onairUrl = options.onairUrl();
    if (!onairUrl) return sendError(response, new ApiError(503, 'UNAVAILABLE', 'Starting'));
    route(request, response, onairUrl).catch((error: unknown) => {
      const failure = toApiError(error);
      if (failure.status >= 500) logError('a request failed', error);
      if (response.headersSent) response.destroy();
      else sendError(response, failure);
    });
  };
}

/**
 * Any failure as an API error. OnAir's keep their code; a refusal of the app's
 * own token (401) or an OnAir failure is the app's problem: 502. Anything else
 * is a bug: its details (schema paths, file paths, jose's words) stay in the
 * log, not in the answer.
 */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof OnAirError) {
    const passOn = error.status >= 400 && error.status < 500 && error.status !== 401;
    return new ApiError(passOn ? error.status : 502, error.code, error.message);
  }
  return new ApiError(500, 'INTERNAL', 'Something went wrong');
}
