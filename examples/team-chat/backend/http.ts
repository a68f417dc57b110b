import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '../shared/api.js';

/** An error the API answers with its status and `{ code, message }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Answers JSON, never cached (answers depend on the session). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(JSON.stringify(body));
}

/** Answers an error envelope. */
export function sendError(response: ServerResponse, error: ApiError): void {
  const body: ApiErrorBody = { code: error.code, message: error.message };
  sendJson(response, error.status, body);
}

/**
 * Logs a failure to stderr: its stack (or text) only, never a request, a
 * cookie or a token.
 */
export function logError(context: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`team-chat: ${context}: ${detail}\n`);
}

const MAX_BODY_BYTES = 16 * 1024;

/** Reads a request's body as UTF-8 text: a typed 413 past `maxBytes`. */
export async function readText(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a JSON object body. Requires `content-type: application/json`, so a
 * form on another site cannot post here (a cross-origin JSON post needs CORS).
 */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!request.headers['content-type']?.startsWith('application/json')) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON');
  }
  const text = await readText(request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'BAD_REQUEST', 'The body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'BAD_REQUEST', 'The body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
