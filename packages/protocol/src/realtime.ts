import * as z from 'zod/mini';
import type { StreamAnalytics } from './analytics.js';
import {
  ChatHistoryPageSchema,
  ChatHistoryRequestSchema,
  ChatMessageDeletedSchema,
  ChatMessageSchema,
  ChatPinnedSchema,
  DeleteChatMessageSchema,
  PinChatMessageSchema,
  SendChatInputSchema,
} from './chat.js';
import { IdSchema, TimestampSchema } from './common.js';
import { type ErrorEnvelope, ErrorEnvelopeSchema } from './errors.js';
import {
  AnsweringQuestionSchema,
  AnswerQuestionSchema,
  AskQuestionSchema,
  BanUserSchema,
  ChatUserClearedSchema,
  CreatePollSchema,
  ListQuestionsSchema,
  ModerationCommandSchema,
  ModerationResultSchema,
  PollListSchema,
  PollRefSchema,
  PollSchema,
  PresenceChangeSchema,
  QuestionListSchema,
  QuestionRefSchema,
  QuestionSchema,
  ReactionBurstSchema,
  ReactionStatsSchema,
  RestrictedSchema,
  SendReactionSchema,
  TimeoutUserSchema,
  ViewerCountSchema,
  ViewerListSchema,
  VotePollSchema,
} from './interaction.js';
import {
  CloseTransportSchema,
  ConnectTransportSchema,
  ConsumerOptionsSchema,
  ConsumeSchema,
  CreateTransportSchema,
  GetRouterCapabilitiesSchema,
  PreferLayerSchema,
  ProducedSchema,
  ProducerInfoSchema,
  ProduceSchema,
  PublisherStateSchema,
  ResumeConsumerSchema,
  RtpCapabilitiesSchema,
  SetSourceSchema,
  StreamHealthSchema,
  TransportClosedSchema,
  TransportOptionsSchema,
} from './media.js';
import type { Notification } from './notification.js';
import type { Stage } from './stage.js';
import { StreamSchema } from './stream.js';

/**
 * `stream:join` request. `since` is the id of the last chat message the client
 * holds: after a reconnection that socket.io could not recover, the server
 * answers with every message after it, so none is lost or repeated.
 */
export const JoinStreamSchema = z.object({ streamId: IdSchema, since: z.optional(IdSchema) });

/**
 * Largest realtime frame a server accepts, in bytes (socket.io's
 * `maxHttpBufferSize`). A bigger frame closes the connection, so clients
 * refuse to send one (`PAYLOAD_TOO_LARGE`).
 */
export const MAX_REALTIME_PAYLOAD_BYTES = 16 * 1024;

/** Most messages a `since` rejoin returns; beyond that `gap` is true. */
export const MAX_RESYNC_MESSAGES = 500;

/** `stream:join` response: the stream, recent chat and who is already producing. */
export const JoinedStreamSchema = z.object({
  stream: StreamSchema,
  /** The latest messages, oldest first; with `since`, every message after it. */
  recentMessages: z.array(ChatMessageSchema),
  /** More messages were missed than {@link MAX_RESYNC_MESSAGES}: drop what you hold and show these. */
  gap: z.boolean(),
  viewers: ViewerCountSchema,
  /** The caller's ban or timeout in this channel, if any. */
  restricted: z.nullable(RestrictedSchema),
  /** Cursor for `chat:history` to fetch messages older than `recentMessages`. */
  historyCursor: z.nullable(z.string()),
  pinned: z.nullable(ChatMessageSchema),
  producers: z.array(ProducerInfoSchema),
});
/** What a client receives on joining a stream's room. */
export type JoinedStream = z.infer<typeof JoinedStreamSchema>;

/**
 * `auth:refresh` request: a fresh token of the connection's user. A
 * connection's identity expires with its token (`TOKEN_EXPIRED`), and the
 * server closes it a grace period later unless it was refreshed.
 */
export const RefreshAuthSchema = z.object({ token: z.string().check(z.minLength(1)) });

/** `auth:refresh` response: when the fresh token expires. */
export const RefreshedAuthSchema = z.object({ expiresAt: TimestampSchema });

const EmptySchema = z.object({});
const StreamRefSchema = z.object({ streamId: IdSchema });

/**
 * `stream:access-revoked`: this connection may no longer see the stream (its
 * privacy changed, the user was uninvited or unfollowed). The server has
 * taken it out of the stream's room and closed its real-time media; playback
 * URLs it held stop working.
 */
export const AccessRevokedSchema = z.object({ streamId: IdSchema });

/**
 * Every request a client may send over the realtime connection, with the
 * schema of its payload and of its acknowledgement. The socket.io event maps
 * below are derived from this table, so adding a request here types both ends.
 */
export const CLIENT_REQUESTS = {
  'stream:join': { request: JoinStreamSchema, response: JoinedStreamSchema },
  'stream:leave': { request: JoinStreamSchema, response: EmptySchema },
  /** A fresh token for the connection's user; another user's is `FORBIDDEN`, an invalid one `UNAUTHORIZED`. */
  'auth:refresh': { request: RefreshAuthSchema, response: RefreshedAuthSchema },
  /** Receive `stream:updated` for public streams (to keep lists current without polling). */
  'streams:watch': { request: EmptySchema, response: EmptySchema },
  'streams:unwatch': { request: EmptySchema, response: EmptySchema },
  'chat:send': { request: SendChatInputSchema, response: ChatMessageSchema },
  'chat:history': { request: ChatHistoryRequestSchema, response: ChatHistoryPageSchema },
  'chat:delete': { request: DeleteChatMessageSchema, response: EmptySchema },
  'chat:pin': { request: PinChatMessageSchema, response: EmptySchema },
  'reaction:send': { request: SendReactionSchema, response: EmptySchema },
  /** Reaction analytics (owner and moderators). */
  'reaction:stats': { request: StreamRefSchema, response: ReactionStatsSchema },
  /** The stream's latest health reports, newest first (owner and moderators). */
  'stream:healthHistory': {
    request: StreamRefSchema,
    response: z.object({ reports: z.array(StreamHealthSchema) }),
  },
  'qna:ask': { request: AskQuestionSchema, response: QuestionSchema },
  /** Upvote once per user; a repeat answers `CONFLICT`. */
  'qna:upvote': { request: QuestionRefSchema, response: QuestionSchema },
  'qna:answer': { request: AnswerQuestionSchema, response: QuestionSchema },
  'qna:answering': { request: AnsweringQuestionSchema, response: EmptySchema },
  'qna:hide': { request: QuestionRefSchema, response: EmptySchema },
  'qna:list': { request: ListQuestionsSchema, response: QuestionListSchema },
  'poll:create': { request: CreatePollSchema, response: PollSchema },
  /** Vote once per user; a repeat answers `CONFLICT`. */
  'poll:vote': { request: VotePollSchema, response: PollSchema },
  'poll:close': { request: PollRefSchema, response: PollSchema },
  'poll:list': { request: StreamRefSchema, response: PollListSchema },
  /** Signed-in viewers (owner and moderators). */
  'presence:list': { request: StreamRefSchema, response: ViewerListSchema },
  /** A chat command: `/slow N`, `/slowoff`, `/emoteonly`, `/emoteonlyoff`, `/followers`, `/subscribers`, `/open`, `/clear`, `/timeout user s`, `/ban user`, `/unban user`, `/pin`, `/unpin`. */
  'moderation:command': { request: ModerationCommandSchema, response: ModerationResultSchema },
  'moderation:timeout': { request: TimeoutUserSchema, response: EmptySchema },
  'moderation:ban': { request: BanUserSchema, response: EmptySchema },
  'moderation:unban': { request: BanUserSchema, response: EmptySchema },
  'media:capabilities': { request: GetRouterCapabilitiesSchema, response: RtpCapabilitiesSchema },
  'media:createTransport': { request: CreateTransportSchema, response: TransportOptionsSchema },
  'media:connectTransport': { request: ConnectTransportSchema, response: EmptySchema },
  'media:produce': { request: ProduceSchema, response: ProducedSchema },
  'media:consume': { request: ConsumeSchema, response: ConsumerOptionsSchema },
  'media:resume': { request: ResumeConsumerSchema, response: EmptySchema },
  'media:pause': { request: ResumeConsumerSchema, response: EmptySchema },
  'media:preferLayer': { request: PreferLayerSchema, response: EmptySchema },
  'media:close': { request: CloseTransportSchema, response: EmptySchema },
  'media:setSource': { request: SetSourceSchema, response: EmptySchema },
} as const;

/** Names of client requests. */
export type ClientRequestName = keyof typeof CLIENT_REQUESTS;

/** Payload a client sends for request `K`. */
export type ClientRequest<K extends ClientRequestName> = z.input<
  (typeof CLIENT_REQUESTS)[K]['request']
>;

/** Data a successful acknowledgement of request `K` carries. */
export type ClientResponse<K extends ClientRequestName> = z.output<
  (typeof CLIENT_REQUESTS)[K]['response']
>;

/** An acknowledgement: data on success, the error envelope on failure. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorEnvelope };

/** Schema of an acknowledgement carrying `data`. */
export function ackSchema<T extends z.core.$ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ErrorEnvelopeSchema }),
  ]);
}

/** Events the server pushes to clients, with their payload schemas. */
export const SERVER_EVENTS = {
  'chat:message': ChatMessageSchema,
  'chat:deleted': ChatMessageDeletedSchema,
  'chat:pinned': ChatPinnedSchema,
  'chat:userCleared': ChatUserClearedSchema,
  'viewers:count': ViewerCountSchema,
  /** Signed-in viewers who joined or left (owner and moderators who joined the stream). */
  'presence:changed': PresenceChangeSchema,
  reactions: ReactionBurstSchema,
  'qna:question': QuestionSchema,
  'poll:updated': PollSchema,
  'moderation:restricted': RestrictedSchema,
  'stream:updated': StreamSchema,
  'stream:access-revoked': AccessRevokedSchema,
  'media:producer': ProducerInfoSchema,
  'media:producerClosed': ProducerInfoSchema,
  'media:transportClosed': TransportClosedSchema,
  'stream:publisher': PublisherStateSchema,
  'stream:health': StreamHealthSchema,
  /**
   * A live stream's analytics, every 5 s to its owner and moderators in the
   * room. Checked against `StreamAnalyticsSchema` of `@onair/protocol/analytics`
   * by the store that reads it (kept out of this entry for its size).
   */
  'stream:analytics': z.custom<StreamAnalytics>(),
  /**
   * A stream's stage changed (members, muting, publishing, raised hands),
   * to everyone in its room. Checked against `StageSchema` of
   * `@onair/protocol/stage` by the store that reads it.
   */
  'stage:updated': z.custom<Stage>(),
  /**
   * A notification for the signed-in user (every connection of theirs);
   * checked with `NotificationSchema` of `@onair/protocol/notifications` by
   * the store that reads it.
   */
  'notification:new': z.custom<Notification>(),
} as const;

/** Names of server events. */
export type ServerEventName = keyof typeof SERVER_EVENTS;

/** Payload of server event `K`. */
export type ServerEvent<K extends ServerEventName> = z.output<(typeof SERVER_EVENTS)[K]>;

/** socket.io map of client → server events (for `Socket<ServerToClientEvents, ClientToServerEvents>`). */
export type ClientToServerEvents = {
  [K in ClientRequestName]: (
    payload: ClientRequest<K>,
    ack: (response: Ack<ClientResponse<K>>) => void,
  ) => void;
};

/** One entry of a `batch` event. */
export type BatchedEvent = { [K in ServerEventName]: [K, ServerEvent<K>] }[ServerEventName];

/** socket.io map of server → client events; `batch` carries room events of one window in order. */
export type ServerToClientEvents = {
  [K in ServerEventName]: (payload: ServerEvent<K>) => void;
} & { batch: (events: BatchedEvent[]) => void };
