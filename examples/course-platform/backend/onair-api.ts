import {
  CreatedStreamSchema,
  type CreateStreamRequest,
  ErrorEnvelopeSchema,
  OnAirError,
  type Stream,
  StreamSchema,
} from '@onair/protocol';

/** Calls OnAir's REST API as a user (their token), server to server. */
async function call(
  onairUrl: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${onairUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch (error) {
    throw new OnAirError('NETWORK', 'OnAir cannot be reached', undefined, { cause: error });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body;
  const envelope = ErrorEnvelopeSchema.safeParse(body);
  throw envelope.success
    ? OnAirError.fromEnvelope(envelope.data)
    : new OnAirError('INTERNAL', `OnAir answered ${response.status}`);
}

/**
 * Creates a lesson's stream, owned by the teacher whose token this is: recorded,
 * with Q&A, and tagged with the lesson id (`externalId`).
 */
export async function createLessonStream(
  onairUrl: string,
  teacherToken: string,
  lesson: { id: string; title: string },
): Promise<Stream> {
  const request: CreateStreamRequest = {
    title: lesson.title,
    externalId: lesson.id,
    recording: true,
    qnaEnabled: true,
  };
  const body = await call(onairUrl, teacherToken, '/v1/streams', {
    method: 'POST',
    body: request,
  });
  return CreatedStreamSchema.parse(body).stream;
}

/** Reads a stream as the user whose token this is. */
export async function getStream(
  onairUrl: string,
  token: string,
  streamId: string,
): Promise<Stream> {
  const body = await call(onairUrl, token, `/v1/streams/${encodeURIComponent(streamId)}`);
  return StreamSchema.parse(body);
}
