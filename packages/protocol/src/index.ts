/**
 * `@onair/protocol`: the OnAir wire protocol. Every message that crosses a
 * process boundary is described here by a zod schema; TypeScript types are
 * inferred from the schemas.
 *
 * @example
 * ```ts
 * import { CreateStreamInputSchema, parseOrError } from '@onair/protocol';
 * const result = parseOrError(CreateStreamInputSchema, { title: 'Office hours' });
 * ```
 * @packageDocumentation
 */
export {
  CHAT_MESSAGE_MAX_CODE_POINTS,
  type ChatMessage,
  ChatMessageSchema,
  ChatTextSchema,
  type SendChatInput,
  SendChatInputSchema,
} from './chat.js';
export {
  IdSchema,
  type Page,
  type PageQuery,
  PageQuerySchema,
  pageSchema,
  TimestampSchema,
} from './common.js';
export {
  ERROR_CODES,
  ERROR_HTTP_STATUS,
  type ErrorCode,
  ErrorCodeSchema,
  type ErrorEnvelope,
  ErrorEnvelopeSchema,
  OnAirError,
  parseOrError,
  toValidationIssues,
  type ValidationIssue,
  ValidationIssueSchema,
} from './errors.js';
export {
  CloseTransportSchema,
  ConnectTransportSchema,
  type ConsumerOptions,
  ConsumerOptionsSchema,
  ConsumeSchema,
  type CreateTransportRequest,
  CreateTransportSchema,
  DtlsFingerprintSchema,
  type DtlsParameters,
  DtlsParametersSchema,
  GetRouterCapabilitiesSchema,
  IceCandidateSchema,
  IceParametersSchema,
  type MediaKind,
  MediaKindSchema,
  ProducedSchema,
  type ProduceRequest,
  type ProducerInfo,
  ProducerInfoSchema,
  ProduceSchema,
  ResumeConsumerSchema,
  RtcpFeedbackSchema,
  type RtpCapabilities,
  RtpCapabilitiesSchema,
  RtpCodecCapabilitySchema,
  RtpCodecParametersSchema,
  RtpEncodingParametersSchema,
  RtpHeaderExtensionSchema,
  type RtpParameters,
  RtpParametersSchema,
  type TransportOptions,
  TransportOptionsSchema,
} from './media.js';
export {
  type Ack,
  ackSchema,
  CLIENT_REQUESTS,
  type ClientRequest,
  type ClientRequestName,
  type ClientResponse,
  type ClientToServerEvents,
  type JoinedStream,
  JoinedStreamSchema,
  JoinStreamSchema,
  type RealtimeSocketData,
  SERVER_EVENTS,
  type ServerEvent,
  type ServerEventName,
  type ServerToClientEvents,
  type ViewerCount,
  ViewerCountSchema,
} from './realtime.js';
export {
  type CreatedStream,
  CreatedStreamSchema,
  type CreateStreamInput,
  CreateStreamInputSchema,
  type CreateStreamRequest,
  canTransition,
  STREAM_PRIVACIES,
  STREAM_STATUSES,
  STREAM_TRANSITIONS,
  type Stream,
  type StreamPage,
  StreamPageSchema,
  type StreamPrivacy,
  StreamPrivacySchema,
  StreamSchema,
  type StreamStatus,
  StreamStatusSchema,
} from './stream.js';
export {
  type DevTokenRequest,
  DevTokenRequestSchema,
  type DevTokenResponse,
  DevTokenResponseSchema,
  type UserSummary,
  UserSummarySchema,
} from './user.js';
