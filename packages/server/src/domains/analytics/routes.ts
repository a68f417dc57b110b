import { normalizeIP } from '@fastify/rate-limit';
import { OnAirError } from '@onair/protocol';
import {
  ChannelAnalyticsQuerySchema,
  PublishReportSchema,
  ViewBeaconBatchSchema,
} from '@onair/protocol/analytics';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import { requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import { StreamParamsSchema } from '../streams/routes.js';
import { environmentOf } from './environment.js';
import type { AnalyticsService } from './service.js';

/** The beacon endpoint, outside the REST write allowance (it has its own). */
export const BEACONS_PATH = '/v1/analytics/beacons';

/** Largest beacon request body, bytes. */
export const MAX_BEACON_BODY_BYTES = 64 * 1024;

/** The query of a channel report (`from`, `to`), strict. */
const ChannelQuerySchema = z.strictObject(ChannelAnalyticsQuerySchema.shape);

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; a text starting with `=`, `+`, `-` or `@` is prefixed with `'` so a
 * spreadsheet does not run it as a formula (a stream title is user text).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvReply(
  reply: FastifyReply,
  filename: string,
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
) {
  const body = `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(body);
}

/** Path parameters `:userId` (a host app's user id, as beacons carry it). */
const UserParamsSchema = z.strictObject({ userId: z.string().min(1).max(128) });

/** What the analytics routes need. */
export interface AnalyticsRoutesDeps {
  service: AnalyticsService;
  tokens: TokenVerifier;
  state: Pick<SharedState, 'take' | 'count'>;
  /** Beacon requests per client address; `false`: not limited. */
  addressRate: RateLimit | false;
  /** Told how many beacons of a well-formed batch were stored or refused (metrics). */
  onBeacons?: ((result: 'accepted' | 'rejected', count: number) => void) | undefined;
}

/**
 * Registers `POST /v1/analytics/beacons` (players; no token needed; JSON, or
 * JSON sent as `text/plain` by `navigator.sendBeacon`) and
 * `GET /v1/streams/:id/analytics` and `GET /v1/channels/:id/analytics`
 * (JSON, or CSV with `.csv`: the channel's owner, moderators, admins)
 * and `DELETE /v1/analytics/users/:userId` (a privacy request: admins, or
 * the user themself), and `POST /v1/streams/:id/publish-report` (the
 * stream's owner: a browser Publisher's figures).
 */
export function registerAnalyticsRoutes(app: FastifyInstance, deps: AnalyticsRoutesDeps): void {
  const { service, tokens, state } = deps;

  app.post(BEACONS_PATH, { bodyLimit: MAX_BEACON_BODY_BYTES }, async (request, reply) => {
    if (deps.addressRate) {
      await takeToken(
        state,
        `beacons:${normalizeIP(request.ip)}`,
        deps.addressRate,
        'Too many analytics beacons from this address',
      );
    }
    let body = request.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        throw new OnAirError('BAD_REQUEST', 'The body is not JSON');
      }
    }
    const parsed = parse(ViewBeaconBatchSchema, body).beacons;
    // Device, browser and OS from the request's user agent, unless the player named them.
    const environment = environmentOf(request.headers['user-agent'] ?? '');
    const beacons = parsed.map((beacon) =>
      beacon.session.device
        ? beacon
        : { ...beacon, session: { ...environment, ...beacon.session } },
    );
    await service.ingest(beacons).catch((error: unknown) => {
      deps.onBeacons?.('rejected', beacons.length);
      throw error;
    });
    deps.onBeacons?.('accepted', beacons.length);
    return reply.status(204).send();
  });

  app.post('/v1/streams/:id/publish-report', async (request, reply) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    await service.publishReport(id, who, parse(PublishReportSchema, request.body));
    return reply.status(204).send();
  });

  app.delete('/v1/analytics/users/:userId', async (request) => {
    const { userId } = parse(UserParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    return { deletedSessions: await service.forgetUser(userId, who) };
  });

  const streamReport = async (request: FastifyRequest) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const { peak } = await state.count(id);
    return service.streamAnalytics(id, who, peak);
  };
  const channelReport = async (request: FastifyRequest) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    return service.channelAnalytics(id, who, parse(ChannelQuerySchema, request.query));
  };

  app.get('/v1/streams/:id/analytics', async (request, reply) =>
    reply.header('cache-control', 'private, no-store').send(await streamReport(request)),
  );
  app.get('/v1/streams/:id/analytics.csv', async (request, reply) => {
    const report = await streamReport(request);
    const rows = report.timeline.map((m) => [
      m.at,
      m.viewers,
      m.watchMs,
      m.rebufferMs,
      m.rebufferCount,
      m.bitrateKbps,
      m.chatMessages,
    ]);
    return csvReply(reply, `stream-${report.streamId}-analytics.csv`, [
      [
        'minute',
        'average_viewers',
        'watch_ms',
        'rebuffer_ms',
        'rebuffers',
        'bitrate_kbps',
        'chat_messages',
      ],
      ...rows,
    ]);
  });
  app.get('/v1/channels/:id/analytics', async (request, reply) =>
    reply.header('cache-control', 'private, no-store').send(await channelReport(request)),
  );
  app.get('/v1/channels/:id/analytics.csv', async (request, reply) => {
    const report = await channelReport(request);
    const rows = report.streams.map((s) => [
      s.streamId,
      s.title,
      s.startedAt,
      s.endedAt,
      s.views,
      s.uniqueViewers,
      s.peakViewers,
      s.totalWatchMs,
    ]);
    return csvReply(reply, `channel-${report.channelId}-analytics.csv`, [
      [
        'stream_id',
        'title',
        'started_at',
        'ended_at',
        'views',
        'unique_viewers',
        'peak_viewers',
        'watch_ms',
      ],
      ...rows,
    ]);
  });
}
