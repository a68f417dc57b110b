import { OnAirClient } from '@onair/core';
import type { ApiErrorBody, AppConfig, AppUser, Lesson } from '../shared/api.js';

/** An error answered by the platform's own API (`{ code, message }`, like OnAir's). */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const isErrorBody = (body: unknown): body is ApiErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as ApiErrorBody).code === 'string' &&
  typeof (body as ApiErrorBody).message === 'string';

/** Calls the platform's API with the session cookie; throws {@link AppError}. */
async function request<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      ...(init.body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new AppError('NETWORK', 'The platform cannot be reached', 0);
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  throw isErrorBody(body)
    ? new AppError(body.code, body.message, response.status)
    : new AppError('INTERNAL', `The platform answered ${response.status}`, response.status);
}

/** The platform's API. */
export const api = {
  config: () => request<AppConfig>('/api/config'),
  users: () => request<AppUser[]>('/api/users'),
  /** The signed-in user, or null when signed out. */
  me: () =>
    request<AppUser>('/api/me').catch((error: unknown) => {
      if (error instanceof AppError && error.status === 401) return null;
      throw error;
    }),
  signIn: (userId: string) =>
    request<AppUser>('/api/sign-in', { method: 'POST', body: { userId } }),
  signOut: () => request<void>('/api/sign-out', { method: 'POST' }),
  lessons: () => request<Lesson[]>('/api/lessons'),
  lesson: (id: string) => request<Lesson>(`/api/lessons/${encodeURIComponent(id)}`),
  createLesson: (title: string) =>
    request<Lesson>('/api/lessons', { method: 'POST', body: { title } }),
};

/**
 * The signed-in user's OnAir token, fresh from the backend (called by the client
 * as needed). Throws {@link AppError}: `UNAUTHORIZED` when the session is over,
 * `UNAVAILABLE` when the platform cannot give one now, `NETWORK` when it cannot be reached.
 */
async function onAirToken(): Promise<string> {
  let response: Response;
  try {
    response = await fetch('/api/onair-token', { credentials: 'same-origin' });
  } catch {
    throw new AppError('NETWORK', 'The platform cannot be reached', 0);
  }
  if (response.status === 401) {
    throw new AppError('UNAUTHORIZED', 'Sign in again to keep watching', 401);
  }
  if (!response.ok) {
    throw new AppError('UNAVAILABLE', 'No OnAir token right now, try again soon', response.status);
  }
  return response.text();
}

/** An OnAir client for the signed-in user: tokens come from the platform's backend. */
export function createOnAirClient(config: AppConfig): OnAirClient {
  return new OnAirClient({ baseUrl: config.onairUrl, token: onAirToken });
}
