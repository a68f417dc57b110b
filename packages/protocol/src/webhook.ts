import * as z from 'zod/mini';
import type { StreamAnalytics } from './analytics.js';
import type { Clip } from './clip.js';
import { TimestampSchema } from './common.js';
import type { NotificationKind } from './notification.js';
import { StreamSchema } from './stream.js';

/** Events the server posts to host-app webhooks. */
export const WEBHOOK_EVENT_TYPES = [
  'stream.scheduled',
  'stream.started',
  'stream.ended',
  'stream.cancelled',
  'recording.ready',
  'recording.incomplete',
  'stream.summary',
  'notifications.sent',
  'clip.created',
] as const;
/** Schema of {@link WebhookEventType}. */
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
/** One of {@link WEBHOOK_EVENT_TYPES}. */
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/**
 * Body of a webhook delivery. The request carries
 * `OnAir-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`;
 * verify it with the shared secret and reject stale timestamps. Deliveries
 * are at least once (retried after failures and server restarts): skip an
 * `id` already handled. `stream.scheduled` comes again when a stream is
 * rescheduled, `stream.cancelled` when a scheduled one is called off.
 * `recording.incomplete` says part of a stream's
 * recording could not be written (a full disk, a failed write, a crash).
 * `stream.summary` follows `stream.ended` once viewers' last beacons are in
 * (10 s by default) with the stream's report in `data.summary` (check it
 * with `StreamAnalyticsSchema` of `@onair/protocol/analytics`).
 * `notifications.sent` says which users were just told about a stream
 * (`data.notification`: its kind and up to 1000 user ids an event), for the
 * host's own email or push. `clip.created` carries the new clip in
 * `data.clip` (its URLs unsigned: your backend signs nothing, a private
 * stream's clip plays only through a viewer's own signed URL).
 */
export const WebhookEventSchema = z.object({
  /** The event's id, the same in every retry of it (also in the `OnAir-Event-Id` header). */
  id: z.string(),
  type: WebhookEventTypeSchema,
  createdAt: TimestampSchema,
  data: z.object({
    stream: StreamSchema,
    summary: z.optional(z.custom<StreamAnalytics>()),
    /** `notifications.sent`: who was told what (at most 1000 users an event). */
    notification: z.optional(z.custom<{ kind: NotificationKind; userIds: string[] }>()),
    /** `clip.created`: the clip. */
    clip: z.optional(z.custom<Clip>()),
  }),
});
/** A webhook event. */
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** Name of the signature header. */
export const WEBHOOK_SIGNATURE_HEADER = 'onair-signature';

/** Name of the header with the event's id (the body's `id`), for deduplicating retries. */
export const WEBHOOK_EVENT_ID_HEADER = 'onair-event-id';
