import type { IncomingMessage, ServerResponse } from 'node:http';
import { OnAirError, type WebhookEvent, type WebhookEventType } from '@onair/protocol';
import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from '@onair/protocol/webhooks';
import type { LiveStream } from '../shared/api.js';
import type { ChannelStore } from './channels.js';
import { ApiError, readText } from './http.js';

/** Where OnAir posts its events to the app (not under `/api/`: no page calls it). */
export const WEBHOOK_PATH = '/hooks/onair';

/** The events the app asks OnAir for. */
export const WEBHOOK_EVENTS: WebhookEventType[] = [
  'stream.scheduled',
  'stream.started',
  'stream.ended',
  'stream.cancelled',
];

/** The largest event body read: a stream resource is a few kB. */
const MAX_EVENT_BYTES = 256 * 1024;
/** Event ids remembered to skip a repeated delivery (OnAir delivers at least once). */
const REMEMBERED_IDS = 1000;

/**
 * Applies one verified OnAir event to the channel its stream belongs to
 * (the stream's `externalId`), saying so in the channel: a scheduled stream
 * is listed as upcoming (again with its new time when rescheduled), a
 * cancelled one leaves the list, a started one is the channel's live stream,
 * an ended one leaves it for the channel's past streams (with its replay).
 * Deliveries may come late or out of order: a start after the end changes nothing.
 */
export function applyOnAirEvent(channels: ChannelStore, event: WebhookEvent): void {
  const { stream } = event.data;
  const channelId = stream.externalId;
  if (!channelId || !channels.has(channelId)) return;
  const about: LiveStream = {
    streamId: stream.id,
    title: stream.title,
    hostId: stream.owner.id,
    hostName: stream.owner.displayName,
  };
  if (event.type === 'stream.scheduled' && stream.scheduledAt && stream.status === 'scheduled') {
    channels.schedule(channelId, { ...about, scheduledAt: stream.scheduledAt });
  } else if (event.type === 'stream.cancelled') {
    channels.cancel(channelId, stream.id);
  } else if (event.type === 'stream.started' && channels.start(channelId, about)) {
    channels.post(channelId, null, `🔴 ${about.hostName} is live: ${about.title}`);
  } else if (event.type === 'stream.ended') {
    const past = {
      ...about,
      endedAt: stream.endedAt ?? event.createdAt,
      recorded: stream.recording,
    };
    if (channels.end(channelId, past)) {
      channels.post(channelId, null, `${about.hostName}'s live stream ended`);
    }
  }
}

/**
 * The app's webhook endpoint for OnAir: checks each delivery's signature
 * with the shared secret (`verifyWebhook`: a forged, altered or replayed
 * request is refused 401), skips an event id it handled already, and applies
 * the event to the channels. Answers 204 once applied; OnAir retries
 * anything else.
 */
export function createWebhookReceiver(channels: ChannelStore, secret: string) {
  const handled = new Set<string>();
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST') throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'POST only');
    const body = await readText(request, MAX_EVENT_BYTES);
    let event: WebhookEvent;
    try {
      const signature = request.headers[WEBHOOK_SIGNATURE_HEADER];
      event = await verifyWebhook(body, typeof signature === 'string' ? signature : null, secret);
    } catch (error) {
      if (error instanceof OnAirError) throw new ApiError(error.status, error.code, error.message);
      throw error;
    }
    if (!handled.has(event.id)) {
      applyOnAirEvent(channels, event);
      handled.add(event.id);
      // The oldest id goes first: a Set iterates in insertion order.
      if (handled.size > REMEMBERED_IDS) handled.delete(handled.values().next().value as string);
    }
    response.writeHead(204).end();
  };
}
