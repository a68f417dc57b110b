import type { IncomingMessage, ServerResponse } from 'node:http';
import { OnAirError } from '@onair/protocol';
import type { AppConfig, AppUser, Lesson } from '../shared/api.js';
import { ApiError, logError, readJson, sendError, sendJson } from './http.js';
import { type LessonRecord, LessonStore, newLessonId, toLesson } from './lessons.js';
import { createLessonStream, getStream } from './onair-api.js';
import { SessionStore, sessionCookie, sessionIdOf } from './sessions.js';
import { serveStatic } from './static.js';
import type { TokenSigner } from './tokens.js';
import { findUser, USERS } from './users.js';

/** What the routes need. */
export interface RouteOptions {
  /** The folder of the built pages. */
  staticDir: string;
  signToken: TokenSigner;
  /** The OnAir server's URL, once it runs. */
  onairUrl: () => string | undefined;
  /** The app's own origins (`http://127.0.0.1:8090`): the only ones that may post to `/api/…`. */
  origins: readonly string[];
  /** Mark the session cookie `Secure` (the app is served over HTTPS). Default `false`. */
  secureCookies?: boolean;
}

/** A node:http request listener. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

const LESSON_PATH = /^\/api\/lessons\/([\w-]+)$/;

/**
 * The path of a request. A target that is not a plain path (`//host`, `/\\`,
 * `*`, an absolute URL) is a 400: `new URL` would read it as another host.
 */
function pathOf(request: IncomingMessage): string {
  const target = request.url ?? '/';
  if (!/^\/(?![/\\])/.test(target)) throw new ApiError(400, 'BAD_REQUEST', 'Bad request target');
  return new URL(target, 'http://app.invalid').pathname;
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

/**
 * The app's routes: sign-in and sessions, the OnAir token, lessons (their
 * streams created and read through OnAir's REST API as the user) and the
 * built pages. Users, sessions and lessons live in memory.
 */
export function createRequestHandler(options: RouteOptions): RequestHandler {
  const sessions = new SessionStore();
  const lessons = new LessonStore();
  const { signToken } = options;
  const cookie = (sessionId: string | null) => sessionCookie(sessionId, options.secureCookies);

  /** The signed-in user, or a 401. */
  const signedIn = (request: IncomingMessage): AppUser => {
    const user = findUser(sessions.userId(sessionIdOf(request)) ?? '');
    if (!user) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first');
    return user;
  };

  /** Lessons with their streams' states, read from OnAir as the user. */
  const withStates = async (onairUrl: string, user: AppUser, records: readonly LessonRecord[]) => {
    const token = await signToken(user);
    return Promise.all(
      records.map(async (record): Promise<Lesson> => {
        // OnAir down or the stream gone: the lesson is listed, its state `unknown`.
        const stream = await getStream(onairUrl, token, record.streamId).catch((error: unknown) => {
          if (!(error instanceof OnAirError && error.status === 404)) {
            logError(`reading the stream of lesson ${record.id} failed`, error);
          }
          return undefined;
        });
        return toLesson(record, stream);
      }),
    );
  };

  /** Creates a lesson and its stream, owned by the teacher. */
  const createLesson = async (onairUrl: string, teacher: AppUser, title: unknown) => {
    const text = typeof title === 'string' ? title.trim() : '';
    if (text.length < 1 || text.length > 140 || /[\r\n]/.test(text)) {
      throw new ApiError(400, 'BAD_REQUEST', 'A title is one line of 1 to 140 characters');
    }
    const id = newLessonId();
    const token = await signToken(teacher);
    const stream = await createLessonStream(onairUrl, token, { id, title: text });
    const record: LessonRecord = { id, title: text, streamId: stream.id, teacherId: teacher.id };
    lessons.add(record);
    return toLesson(record, stream);
  };

  async function route(request: IncomingMessage, response: ServerResponse, onairUrl: string) {
    const pathname = pathOf(request);
    if (
      pathname.startsWith('/api/') &&
      request.method !== 'GET' &&
      !fromOwnPages(request, options.origins)
    ) {
      // Cross-site request forgery: another site's page posting with the user's cookie.
      throw new ApiError(403, 'FORBIDDEN_ORIGIN', 'Only the platform pages may do this');
    }
    const route = `${request.method} ${pathname}`;
    const lessonId = LESSON_PATH.exec(pathname)?.[1];

    if (route === 'GET /api/config') {
      const config: AppConfig = { onairUrl };
      return sendJson(response, 200, config);
    }
    if (route === 'GET /api/users') return sendJson(response, 200, USERS);
    if (route === 'POST /api/sign-in') {
      const { userId } = await readJson(request);
      const user = typeof userId === 'string' ? findUser(userId) : undefined;
      if (!user) throw new ApiError(400, 'BAD_REQUEST', 'No such user');
      sessions.delete(sessionIdOf(request));
      return sendJson(response, 200, user, { 'set-cookie': cookie(sessions.create(user.id)) });
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
    if (route === 'GET /api/lessons') {
      return sendJson(response, 200, await withStates(onairUrl, signedIn(request), lessons.list()));
    }
    if (request.method === 'GET' && lessonId) {
      const user = signedIn(request);
      const record = lessons.get(lessonId);
      if (!record) throw new ApiError(404, 'NOT_FOUND', 'No such lesson');
      const [lesson] = await withStates(onairUrl, user, [record]);
      return sendJson(response, 200, lesson);
    }
    if (route === 'POST /api/lessons') {
      const user = signedIn(request);
      if (user.role !== 'teacher') {
        throw new ApiError(403, 'FORBIDDEN', 'Only teachers create lessons');
      }
      const { title } = await readJson(request);
      return sendJson(response, 201, await createLesson(onairUrl, user, title));
    }
    if (pathname.startsWith('/api/')) throw new ApiError(404, 'NOT_FOUND', 'No such route');
    if (request.method === 'GET' && (await serveStatic(options.staticDir, pathname, response))) {
      return;
    }
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
 * own token (401) or an OnAir failure is the platform's problem: 502. Anything
 * else is a bug: its details (paths, schemas) stay in the log, not the answer.
 */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof OnAirError) {
    const passOn = error.status >= 400 && error.status < 500 && error.status !== 401;
    return new ApiError(passOn ? error.status : 502, error.code, error.message);
  }
  return new ApiError(500, 'INTERNAL', 'Something went wrong');
}
