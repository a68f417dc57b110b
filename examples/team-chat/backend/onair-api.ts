import {
  CreatedStreamSchema,
  type CreateStreamRequest,
  ErrorEnvelopeSchema,
  OnAirError,
  type Stream,
} from '@onair/protocol';

/** Calls OnAir's REST API, server to server, as a member (their token). */
async function call(
  onairUrl: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${onairUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
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
 * Creates a channel's stream, owned by the member whose token this is:
 * recorded, tagged with the channel id (`externalId`), scheduled when `scheduledAt` is given.
 */
export async function createChannelStream(
  onairUrl: string,
  memberToken: string,
  stream: { channelId: string; title: string; scheduledAt: string | null },
): Promise<Stream> {
  const request: CreateStreamRequest = {
    title: stream.title,
    externalId: stream.channelId,
    recording: true,
    ...(stream.scheduledAt === null ? {} : { scheduledAt: stream.scheduledAt }),
  };
  const body = await call(onairUrl, memberToken, '/v1/streams', { method: 'POST', body: request });
  return CreatedStreamSchema.parse(body).stream;
}
