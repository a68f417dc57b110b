import { z } from 'zod';
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
import { IdSchema } from './common.js';
import { type ErrorEnvelope, ErrorEnvelopeSchema } from './errors.js';
import {
  CloseTransportSchema,
  ConnectTransportSchema,
  ConsumerOptionsSchema,
  ConsumeSchema,
  CreateTransportSchema,
  GetRouterCapabilitiesSchema,
  ProducedSchema,
  ProducerInfoSchema,
  ProduceSchema,
  ResumeConsumerSchema,
  RtpCapabilitiesSchema,
  TransportClosedSchema,
  TransportOptionsSchema,
} from './media.js';
import { StreamSchema } from './stream.js';

/** `stream:join` request. */
export const JoinStreamSchema = z.object({ streamId: IdSchema });

/** Live viewer count of a stream. */
export const ViewerCountSchema = z.object({
  streamId: IdSchema,
  count: z.number().int().nonnegative(),
});
/** A viewer count update. */
export type ViewerCount = z.infer<typeof ViewerCountSchema>;

/** `stream:join` response: the stream, recent chat and who is already producing. */
export const JoinedStreamSchema = z.object({
  stream: StreamSchema,
  viewerCount: z.number().int().nonnegative(),
  recentMessages: z.array(ChatMessageSchema),
  /** Cursor for `chat:history` to fetch messages older than `recentMessages`. */
  historyCursor: z.string().nullable(),
  pinned: ChatMessageSchema.nullable(),
  producers: z.array(ProducerInfoSchema),
});
/** What a client receives on joining a stream's room. */
export type JoinedStream = z.infer<typeof JoinedStreamSchema>;

const EmptySchema = z.object({});

/**
 * Every request a client may send over the realtime connection, with the
 * schema of its payload and of its acknowledgement. The socket.io event maps
 * below are derived from this table, so adding a request here types both ends.
 */
export const CLIENT_REQUESTS = {
  'stream:join': { request: JoinStreamSchema, response: JoinedStreamSchema },
  'stream:leave': { request: JoinStreamSchema, response: EmptySchema },
  /** Receive `stream:updated` for public streams (to keep lists current without polling). */
  'streams:watch': { request: EmptySchema, response: EmptySchema },
  'streams:unwatch': { request: EmptySchema, response: EmptySchema },
  'chat:send': { request: SendChatInputSchema, response: ChatMessageSchema },
  'chat:history': { request: ChatHistoryRequestSchema, response: ChatHistoryPageSchema },
  'chat:delete': { request: DeleteChatMessageSchema, response: EmptySchema },
  'chat:pin': { request: PinChatMessageSchema, response: EmptySchema },
  'media:capabilities': { request: GetRouterCapabilitiesSchema, response: RtpCapabilitiesSchema },
  'media:createTransport': { request: CreateTransportSchema, response: TransportOptionsSchema },
  'media:connectTransport': { request: ConnectTransportSchema, response: EmptySchema },
  'media:produce': { request: ProduceSchema, response: ProducedSchema },
  'media:consume': { request: ConsumeSchema, response: ConsumerOptionsSchema },
  'media:resume': { request: ResumeConsumerSchema, response: EmptySchema },
  'media:close': { request: CloseTransportSchema, response: EmptySchema },
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
export function ackSchema<T extends z.ZodType>(data: T) {
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
  'viewers:count': ViewerCountSchema,
  'stream:updated': StreamSchema,
  'media:producer': ProducerInfoSchema,
  'media:producerClosed': ProducerInfoSchema,
  'media:transportClosed': TransportClosedSchema,
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

/** socket.io map of server → client events. */
export type ServerToClientEvents = {
  [K in ServerEventName]: (payload: ServerEvent<K>) => void;
};
