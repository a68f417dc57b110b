import { OnAirClient } from '@onair/core';
import type {
  ApiErrorBody,
  AppConfig,
  Channel,
  CreatedChannelStream,
  Member,
  Message,
} from '../shared/api.js';

/** An error answered by the app's own API (`{ code, message }`, like OnAir's). */
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

/** Calls the app's API with the session cookie; throws {@link AppError}. */
async function request<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      ...(init.signal ? { signal: init.signal } : {}),
      ...(init.body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new AppError('NETWORK', 'The team chat cannot be reached', 0);
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  throw isErrorBody(body)
    ? new AppError(body.code, body.message, response.status)
    : new AppError('INTERNAL', `The team chat answered ${response.status}`, response.status);
}

const channelPath = (channelId: string, rest: string) =>
  `/api/channels/${encodeURIComponent(channelId)}/${rest}`;

/** The app's API. */
export const api = {
  config: () => request<AppConfig>('/api/config'),
  members: () => request<Member[]>('/api/members'),
  /** The signed-in member, or null when signed out. */
  me: () =>
    request<Member>('/api/me').catch((error: unknown) => {
      if (error instanceof AppError && error.status === 401) return null;
      throw error;
    }),
  signIn: (memberId: string) =>
    request<Member>('/api/sign-in', { method: 'POST', body: { memberId } }),
  signOut: () => request<void>('/api/sign-out', { method: 'POST' }),
  channels: (signal?: AbortSignal) => request<Channel[]>('/api/channels', { signal }),
  /** A channel's messages, all kept ones or those newer than `after`. */
  messages: (channelId: string, after = 0, signal?: AbortSignal) =>
    request<Message[]>(channelPath(channelId, `messages?after=${after}`), { signal }),
  send: (channelId: string, text: string) =>
    request<Message>(channelPath(channelId, 'messages'), { method: 'POST', body: { text } }),
  /** Creates a stream in a channel: live now, or scheduled at `scheduledAt` (ISO). */
  createStream: (channelId: string, title: string, scheduledAt: string | null) =>
    request<CreatedChannelStream>(channelPath(channelId, 'streams'), {
      method: 'POST',
      body: { title, scheduledAt },
    }),
};

/**
 * The signed-in member's OnAir token, fresh from the backend (the client calls
 * it as needed). Throws {@link AppError}: `UNAUTHORIZED` when the session is
 * over, `UNAVAILABLE` when the backend cannot give one now, `NETWORK` when it
 * cannot be reached.
 */
async function onAirToken(): Promise<string> {
  let response: Response;
  try {
    response = await fetch('/api/onair-token', { credentials: 'same-origin' });
  } catch {
    throw new AppError('NETWORK', 'The team chat cannot be reached', 0);
  }
  if (response.status === 401) {
    throw new AppError('UNAUTHORIZED', 'Sign in again to keep streaming', 401);
  }
  if (!response.ok) {
    throw new AppError('UNAVAILABLE', 'No OnAir token right now, try again soon', response.status);
  }
  return response.text();
}

/** An OnAir client for the signed-in member: tokens come from the app's backend. */
export function createOnAirClient(config: AppConfig): OnAirClient {
  return new OnAirClient({ baseUrl: config.onairUrl, token: onAirToken });
}
