import {
  ChannelSchema,
  CreatedStreamSchema,
  DevTokenResponseSchema,
  ERROR_HTTP_STATUS,
  type ErrorCode,
  ErrorEnvelopeSchema,
  FollowStateSchema,
  RotatedStreamKeySchema,
  StreamInvitesSchema,
  StreamPageSchema,
  StreamSchema,
} from '@onair/protocol';
import {
  ChannelAnalyticsQuerySchema,
  ChannelAnalyticsSchema,
  PublishReportSchema,
  StreamAnalyticsSchema,
  ViewBeaconBatchSchema,
  ViewerHistorySchema,
} from '@onair/protocol/analytics';
import { ClipPageSchema, ClipSchema, CreateClipInputSchema } from '@onair/protocol/clips';
import {
  ChannelNotifyInputSchema,
  CreateStreamInputSchema,
  DevTokenRequestSchema,
  MarkNotificationsReadInputSchema,
  PageQuerySchema,
  PushSubscriptionInputSchema,
  PushUnsubscribeInputSchema,
  RemindersQuerySchema,
  StreamListQuerySchema,
  UpdateChannelInputSchema,
  UpdateStreamInputSchema,
} from '@onair/protocol/inputs';
import {
  ChannelNotifySchema,
  FollowerPageSchema,
  NotificationPageSchema,
  PushKeySchema,
  ReminderListSchema,
  ReminderStateSchema,
  UnreadCountSchema,
} from '@onair/protocol/notifications';
import {
  ChapterListSchema,
  ChapterSchema,
  CreateMarkerInputSchema,
  ReplayQuerySchema,
  ReplayWindowSchema,
} from '@onair/protocol/replay';
import {
  InviteToStageSchema,
  StageSchema,
  UpdateStageMemberSchema,
  UpdateStageSchema,
} from '@onair/protocol/stage';
import * as z from 'zod/mini';

/** One documented REST route. */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI-style path (`{id}`). */
  path: string;
  summary: string;
  auth: 'none' | 'optional' | 'required';
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /** The success answer: JSON with `schema`, else `contentType` (CSV), else no body (204). */
  response: { status: number; schema?: z.ZodMiniType; contentType?: string };
  errors: ErrorCode[];
}

const Invites = z.object({ userIds: z.array(z.string()) });
const common: ErrorCode[] = ['VALIDATION_FAILED', 'UNAUTHORIZED'];

/** Every REST route of the reference server. A test keeps this list and the router in step. */
export const API_ROUTES: ApiRoute[] = [
  {
    method: 'post',
    path: '/v1/dev/token',
    summary: 'Issue a development token for a display name (only when devAuth is on).',
    auth: 'none',
    body: DevTokenRequestSchema,
    response: { status: 201, schema: DevTokenResponseSchema },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/streams',
    summary: 'Create a stream. The stream key is in this response only.',
    auth: 'required',
    body: CreateStreamInputSchema,
    response: { status: 201, schema: CreatedStreamSchema },
    errors: [...common, 'FORBIDDEN', 'UNPROCESSABLE'],
  },
  {
    method: 'get',
    path: '/v1/streams',
    summary: 'List live, scheduled or past streams the caller may see.',
    auth: 'optional',
    query: StreamListQuerySchema,
    response: { status: 200, schema: StreamPageSchema },
    errors: common,
  },
  {
    method: 'get',
    path: '/v1/me/streams',
    summary: "The caller's own streams, all statuses, newest first.",
    auth: 'required',
    query: PageQuerySchema,
    response: { status: 200, schema: StreamPageSchema },
    errors: common,
  },
  {
    method: 'get',
    path: '/v1/streams/{id}',
    summary: 'Get a stream (404 if the caller may not see it).',
    auth: 'optional',
    response: { status: 200, schema: StreamSchema },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'patch',
    path: '/v1/streams/{id}',
    summary: 'Edit a stream (owner, admin; moderators: info and chat settings).',
    auth: 'required',
    body: UpdateStreamInputSchema,
    response: { status: 200, schema: StreamSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE'],
  },
  ...(['start', 'end', 'cancel'] as const).map(
    (action): ApiRoute => ({
      method: 'post',
      path: `/v1/streams/{id}/${action}`,
      summary: `${action[0]?.toUpperCase()}${action.slice(1)} the stream (owner or admin).`,
      auth: 'required',
      response: { status: 200, schema: StreamSchema },
      errors: [...common, 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
    }),
  ),
  {
    method: 'post',
    path: '/v1/streams/{id}/key',
    summary: 'Rotate the stream key (shown once); a live publisher is disconnected.',
    auth: 'required',
    response: { status: 200, schema: RotatedStreamKeySchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/invites',
    summary: "A private stream's invite list (owner or admin).",
    auth: 'required',
    response: { status: 200, schema: Invites },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/v1/streams/{id}/invites',
    summary: "Replace a private stream's invite list (owner or admin).",
    auth: 'required',
    body: StreamInvitesSchema,
    response: { status: 200, schema: Invites },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/channels/{id}',
    summary: 'Get a channel, with whether the caller follows it.',
    auth: 'optional',
    response: { status: 200, schema: ChannelSchema },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'patch',
    path: '/v1/channels/me',
    summary: "Edit the caller's channel.",
    auth: 'required',
    body: UpdateChannelInputSchema,
    response: { status: 200, schema: ChannelSchema },
    errors: common,
  },
  {
    method: 'post',
    path: '/v1/analytics/beacons',
    summary:
      "Players' view-session beacons (batched; also as text/plain for sendBeacon). No token needed; limited per session and address.",
    auth: 'none',
    body: ViewBeaconBatchSchema,
    response: { status: 204 },
    errors: [
      'VALIDATION_FAILED',
      'BAD_REQUEST',
      'NOT_FOUND',
      'PAYLOAD_TOO_LARGE',
      'RATE_LIMITED',
      'UNAVAILABLE',
    ],
  },
  {
    method: 'delete',
    path: '/v1/analytics/users/{userId}',
    summary:
      "Delete a user's view sessions and their events (a privacy request): admins, or the user themself.",
    auth: 'required',
    response: { status: 200, schema: z.object({ deletedSessions: z.number() }) },
    errors: [...common, 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/analytics',
    summary:
      "A stream's analytics: audience, QoE of its view sessions, per-minute timeline (owner, moderators, admins).",
    auth: 'required',
    response: { status: 200, schema: StreamAnalyticsSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/streams/{id}/publish-report',
    summary:
      "A browser Publisher's figures of one publish session (send bitrate, frame rate, quality limitation, reconnects): the stream's owner.",
    auth: 'required',
    body: PublishReportSchema,
    response: { status: 204 },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/analytics.csv',
    summary:
      "A stream's per-minute timeline (viewers, rebuffering, bitrate, chat messages) as CSV (owner, moderators, admins).",
    auth: 'required',
    response: { status: 200, contentType: 'text/csv' },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/channels/{id}/analytics',
    summary:
      "A channel's streams that started in a range (from, to; default the last 28 days), with totals (owner, moderators, admins).",
    auth: 'required',
    query: ChannelAnalyticsQuerySchema,
    response: { status: 200, schema: ChannelAnalyticsSchema },
    errors: [...common, 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/v1/channels/{id}/analytics.csv',
    summary: "A channel's streams in a range as CSV (owner, moderators, admins).",
    auth: 'required',
    query: ChannelAnalyticsQuerySchema,
    response: { status: 200, contentType: 'text/csv' },
    errors: [...common, 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/stage',
    summary:
      "A stream's stage: its co-hosts and guests, and the raised hands (every hand for the owner and moderators, one's own for anyone else).",
    auth: 'optional',
    response: { status: 200, schema: StageSchema },
    errors: ['VALIDATION_FAILED', 'UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'patch',
    path: '/v1/streams/{id}/stage',
    summary:
      "Change the stage's layout: how HLS viewers and the recording see its people composed (owner, moderators, admins). Takes effect live.",
    auth: 'required',
    body: UpdateStageSchema,
    response: { status: 200, schema: StageSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/v1/streams/{id}/stage/members/{userId}',
    summary:
      'Bring a user on stage as a co-host or a guest, or change their role (owner, moderators, admins). Lowers their hand.',
    auth: 'required',
    body: InviteToStageSchema,
    response: { status: 200, schema: StageSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND', 'UNPROCESSABLE', 'STREAM_FULL'],
  },
  {
    method: 'patch',
    path: '/v1/streams/{id}/stage/members/{userId}',
    summary: "Mute or unmute a stage member's microphone for everyone (owner, moderators, admins).",
    auth: 'required',
    body: UpdateStageMemberSchema,
    response: { status: 200, schema: StageSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/v1/streams/{id}/stage/members/{userId}',
    summary:
      'Take someone off the stage (owner, moderators, admins), or leave it oneself: their tracks stop at once.',
    auth: 'required',
    response: { status: 204 },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/streams/{id}/stage/hand',
    summary: 'Raise your hand to come on stage (a live stream).',
    auth: 'required',
    response: { status: 204 },
    errors: [...common, 'NOT_FOUND', 'CONFLICT', 'STREAM_NOT_LIVE', 'BANNED'],
  },
  {
    method: 'delete',
    path: '/v1/streams/{id}/stage/hands/{userId}',
    summary: "Lower a raised hand: your own, or anyone's for the owner, moderators and admins.",
    auth: 'required',
    response: { status: 204 },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  ...(['put', 'delete'] as const).map(
    (method): ApiRoute => ({
      method,
      path: '/v1/channels/{id}/follow',
      summary: method === 'put' ? 'Follow a channel.' : 'Unfollow a channel.',
      auth: 'required',
      response: { status: 200, schema: FollowStateSchema },
      errors: [...common, 'NOT_FOUND', 'UNPROCESSABLE'],
    }),
  ),
  {
    method: 'get',
    path: '/v1/me/notifications',
    summary: "The caller's notifications, newest first, with the unread count.",
    auth: 'required',
    query: PageQuerySchema,
    response: { status: 200, schema: NotificationPageSchema },
    errors: common,
  },
  {
    method: 'post',
    path: '/v1/me/notifications/read',
    summary: 'Mark some notifications read (`ids`), or all of them.',
    auth: 'required',
    body: MarkNotificationsReadInputSchema,
    response: { status: 200, schema: UnreadCountSchema },
    errors: common,
  },
  {
    method: 'get',
    path: '/v1/channels/{id}/notifications',
    summary: 'What the caller is told about a channel (`none` unless they follow it).',
    auth: 'required',
    response: { status: 200, schema: ChannelNotifySchema },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/v1/channels/{id}/notifications',
    summary: 'Choose what to be told about a followed channel: all, live or none.',
    auth: 'required',
    body: ChannelNotifyInputSchema,
    response: { status: 200, schema: ChannelNotifySchema },
    errors: [...common, 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/v1/channels/{id}/followers',
    summary: "A channel's followers, newest first (its owner, moderators and admins).",
    auth: 'required',
    query: PageQuerySchema,
    response: { status: 200, schema: FollowerPageSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/me/reminders',
    summary:
      'Whether the caller is reminded of each of `streams` (1–100 ids, comma-separated), in the order asked. A stream they may not see, or none, is not reminded.',
    auth: 'required',
    query: RemindersQuerySchema,
    response: { status: 200, schema: ReminderListSchema },
    errors: common,
  },
  ...(['get', 'put', 'delete'] as const).map(
    (method): ApiRoute => ({
      method,
      path: '/v1/streams/{id}/reminder',
      summary: {
        get: 'Whether the caller asked to be reminded of a stream.',
        put: 'Remind the caller before a scheduled stream starts, and when it does.',
        delete: 'Stop reminding the caller of a stream.',
      }[method],
      auth: 'required',
      response: { status: 200, schema: ReminderStateSchema },
      errors: [...common, 'NOT_FOUND', ...(method === 'put' ? (['CONFLICT'] as const) : [])],
    }),
  ),
  {
    method: 'post',
    path: '/v1/streams/{id}/clips',
    summary:
      'Clip a stream: the last `durationSeconds` of a live stream, or from `startSeconds` of its recording. Answers once the MP4 is cut.',
    auth: 'required',
    body: CreateClipInputSchema,
    response: { status: 201, schema: ClipSchema },
    errors: [
      ...common,
      'NOT_FOUND',
      'BANNED',
      'STREAM_NOT_LIVE',
      'UNPROCESSABLE',
      'RATE_LIMITED',
      'MEDIA_UNAVAILABLE',
    ],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/clips',
    summary: "A stream's clips, newest first (their URLs signed like the stream's).",
    auth: 'optional',
    query: PageQuerySchema,
    response: { status: 200, schema: ClipPageSchema },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/clips/{id}',
    summary: 'A clip, for whoever may see its stream.',
    auth: 'optional',
    response: { status: 200, schema: ClipSchema },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/v1/clips/{id}',
    summary: "Delete a clip: its creator, the stream's owner, moderators and admins.",
    auth: 'required',
    response: { status: 204 },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/replay',
    summary:
      "What happened in `[from, to)` seconds of a stream's recording (at most 300 s): chat, questions, reactions, each where it happened in the recording.",
    auth: 'optional',
    query: ReplayQuerySchema,
    response: { status: 200, schema: ReplayWindowSchema },
    errors: [...common, 'NOT_FOUND', 'STREAM_NOT_LIVE'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/chapters',
    summary: "A stream's chapters (markers set while live), in the recording's order.",
    auth: 'optional',
    response: { status: 200, schema: ChapterListSchema },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/streams/{id}/markers',
    summary: "Set a chapter marker at the live moment (the stream's owner, moderators, admins).",
    auth: 'required',
    body: CreateMarkerInputSchema,
    response: { status: 201, schema: ChapterSchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND', 'STREAM_NOT_LIVE', 'UNPROCESSABLE'],
  },
  {
    method: 'delete',
    path: '/v1/streams/{id}/markers/{markerId}',
    summary: 'Delete a chapter marker.',
    auth: 'required',
    response: { status: 204 },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/v1/streams/{id}/thumbnail',
    summary:
      "Upload the stream's thumbnail: a JPEG, PNG or WebP image as the body (at most 5 MB), stored as a JPEG of at most 1280×720 without its metadata.",
    auth: 'required',
    response: { status: 200, schema: StreamSchema },
    errors: [
      ...common,
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'UNPROCESSABLE',
      'PAYLOAD_TOO_LARGE',
      'MEDIA_UNAVAILABLE',
    ],
  },
  {
    method: 'get',
    path: '/v1/push/key',
    summary:
      "The server's VAPID public key, for pushManager.subscribe (NOT_FOUND when Web Push is off).",
    auth: 'none',
    response: { status: 200, schema: PushKeySchema },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/v1/me/push-subscriptions',
    summary: "Store a browser's push subscription for the caller (its newest 10 are kept).",
    auth: 'required',
    body: PushSubscriptionInputSchema,
    response: { status: 204 },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/v1/me/push-subscriptions',
    summary: "Forget one of the caller's push subscriptions (by endpoint).",
    auth: 'required',
    body: PushUnsubscribeInputSchema,
    response: { status: 204 },
    errors: [...common, 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/streams/{id}/viewers/history',
    summary:
      "A stream's signed-in viewers, longest watched first (tabs merged), and totals: its owner, moderators and admins.",
    auth: 'required',
    query: PageQuerySchema,
    response: { status: 200, schema: ViewerHistorySchema },
    errors: [...common, 'FORBIDDEN', 'NOT_FOUND'],
  },
];

const jsonSchema = (schema: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

/** The OpenAPI 3.1 document served at `/openapi.json`. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const parameters: unknown[] = [];
    for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
      parameters.push({
        name: name.slice(1, -1),
        in: 'path',
        required: true,
        schema: { type: 'string' },
      });
    }
    if (route.query) {
      const shape = route.query.shape as Record<string, z.ZodMiniType>;
      for (const [name, schema] of Object.entries(shape)) {
        parameters.push({
          name,
          in: 'query',
          required: false,
          schema: jsonSchema(schema, 'input'),
        });
      }
    }
    const { schema } = route.response;
    const responses: Record<string, unknown> = {
      [route.response.status]: {
        description: 'Success',
        ...(schema
          ? { content: { 'application/json': { schema: jsonSchema(schema, 'output') } } }
          : {}),
        ...(route.response.contentType
          ? { content: { [route.response.contentType]: { schema: { type: 'string' } } } }
          : {}),
      },
    };
    for (const code of route.errors) {
      const status = String(ERROR_HTTP_STATUS[code]);
      responses[status] ??= {
        description: `Error (${code})`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      };
    }
    paths[route.path] ??= {};
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        summary: route.summary,
        ...(route.auth === 'none' ? { security: [] } : {}),
        ...(route.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
        parameters,
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OnAir REST API',
      version,
      description: 'Generated from the @onair/protocol schemas. Errors use the ErrorEnvelope.',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ErrorEnvelope: jsonSchema(ErrorEnvelopeSchema, 'output') },
    },
    paths,
  };
}
