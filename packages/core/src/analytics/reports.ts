import { type StreamAnalytics, StreamAnalyticsSchema } from '@onair/protocol/analytics';
import type { OnAirClient } from '../transport/client.js';

/**
 * A stream's analytics: audience, engagement, QoE of its view sessions and
 * the per-minute timeline (`GET /v1/streams/:id/analytics`). The stream's
 * owner, its channel's moderators and admins only (else `FORBIDDEN`).
 *
 * @example
 * ```ts
 * const { qoe, peakViewers } = await streamAnalytics(client, streamId);
 * ```
 */
export function streamAnalytics(
  client: OnAirClient,
  streamId: string,
  signal?: AbortSignal,
): Promise<StreamAnalytics> {
  return client.request(
    StreamAnalyticsSchema,
    `/v1/streams/${encodeURIComponent(streamId)}/analytics`,
    signal ? { signal } : {},
  );
}
