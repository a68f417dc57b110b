import * as z from 'zod/mini';
import { IdSchema, TimestampSchema } from './common.js';

/*
 * Media signalling follows the mediasoup model: the server exposes router RTP
 * capabilities; clients create WebRTC transports from ICE/DTLS parameters the
 * server hands out (no SDP on the wire), then produce and consume. The shapes
 * below are the subset of mediasoup's types OnAir relies on; unknown fields are
 * kept so a host's own mediasoup server can sit behind the same signalling.
 */

/** Media kind of a track. */
export const MediaKindSchema = z.enum(['audio', 'video']);
/** `audio` or `video`. */
export type MediaKind = z.infer<typeof MediaKindSchema>;

const CodecParametersSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/** One RTCP feedback mechanism (`nack`, `nack pli`, `ccm fir`, `goog-remb`). */
export const RtcpFeedbackSchema = z.looseObject({
  type: z.string(),
  parameter: z.optional(z.string()),
});

/** A codec a router or device supports. */
export const RtpCodecCapabilitySchema = z.looseObject({
  kind: MediaKindSchema,
  mimeType: z.string().check(z.regex(/^(audio|video)\/[\w.-]+$/i)),
  preferredPayloadType: z.number().check(z.int(), z.gte(0), z.lte(127)),
  clockRate: z.number().check(z.int(), z.positive()),
  channels: z.optional(z.number().check(z.int(), z.positive())),
  parameters: z.optional(CodecParametersSchema),
  rtcpFeedback: z.optional(z.array(RtcpFeedbackSchema)),
});

/** An RTP header extension a router or device supports. */
export const RtpHeaderExtensionSchema = z.looseObject({
  kind: MediaKindSchema,
  uri: z.string(),
  preferredId: z.number().check(z.int(), z.gte(1), z.lte(255)),
  preferredEncrypt: z.optional(z.boolean()),
  direction: z.optional(z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive'])),
});

/** RTP capabilities of a router or a device. */
export const RtpCapabilitiesSchema = z.looseObject({
  codecs: z.optional(z.array(RtpCodecCapabilitySchema)),
  headerExtensions: z.optional(z.array(RtpHeaderExtensionSchema)),
});
/** RTP capabilities. */
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

/** A codec as negotiated in RTP parameters. */
export const RtpCodecParametersSchema = z.looseObject({
  mimeType: z.string(),
  payloadType: z.number().check(z.int(), z.gte(0), z.lte(127)),
  clockRate: z.number().check(z.int(), z.positive()),
  channels: z.optional(z.number().check(z.int(), z.positive())),
  parameters: z.optional(CodecParametersSchema),
  rtcpFeedback: z.optional(z.array(RtcpFeedbackSchema)),
});

/** One encoding (layer) of a sent stream. */
export const RtpEncodingParametersSchema = z.looseObject({
  ssrc: z.optional(z.number().check(z.int(), z.nonnegative())),
  rid: z.optional(z.string()),
  rtx: z.optional(z.looseObject({ ssrc: z.number().check(z.int(), z.nonnegative()) })),
  maxBitrate: z.optional(z.number().check(z.positive())),
  scalabilityMode: z.optional(z.string()),
});

/** RTP parameters of a producer or consumer. */
export const RtpParametersSchema = z.looseObject({
  mid: z.optional(z.string()),
  codecs: z.array(RtpCodecParametersSchema).check(z.minLength(1)),
  headerExtensions: z.optional(
    z.array(
      z.looseObject({
        uri: z.string(),
        id: z.number().check(z.int(), z.gte(1), z.lte(255)),
        encrypt: z.optional(z.boolean()),
        parameters: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
  ),
  encodings: z.optional(z.array(RtpEncodingParametersSchema)),
  rtcp: z.optional(
    z.looseObject({ cname: z.optional(z.string()), reducedSize: z.optional(z.boolean()) }),
  ),
});
/** RTP parameters. */
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

/** ICE parameters of a server transport (the server is ICE-lite). */
export const IceParametersSchema = z.object({
  usernameFragment: z.string().check(z.minLength(4), z.maxLength(256)),
  password: z.string().check(z.minLength(22), z.maxLength(256)),
  iceLite: z.optional(z.boolean()),
});

/** An ICE candidate of a server transport. */
export const IceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number().check(z.int(), z.nonnegative()),
  address: z.string(),
  ip: z.optional(z.string()),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().check(z.int(), z.gte(1), z.lte(65535)),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.optional(z.enum(['active', 'passive', 'so'])),
});

/** DTLS certificate fingerprint. */
export const DtlsFingerprintSchema = z.object({
  algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
  value: z
    .string()
    .check(z.regex(/^([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{2}$/, 'must be a colon-separated hex')),
});

/** DTLS parameters of either side of a transport. */
export const DtlsParametersSchema = z.object({
  role: z.optional(z.enum(['auto', 'client', 'server'])),
  fingerprints: z.array(DtlsFingerprintSchema).check(z.minLength(1)),
});
/** DTLS parameters. */
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

/** Everything a client needs to build a WebRTC transport towards the server. */
export const TransportOptionsSchema = z.object({
  id: IdSchema,
  iceParameters: IceParametersSchema,
  iceCandidates: z.array(IceCandidateSchema),
  dtlsParameters: DtlsParametersSchema,
});
/** Server transport parameters. */
export type TransportOptions = z.infer<typeof TransportOptionsSchema>;

/** `media:capabilities` request. */
export const GetRouterCapabilitiesSchema = z.object({ streamId: IdSchema });

/** `media:createTransport` request. */
export const CreateTransportSchema = z.object({
  streamId: IdSchema,
  direction: z.enum(['send', 'recv']),
});
/** Request to create a transport. */
export type CreateTransportRequest = z.infer<typeof CreateTransportSchema>;

/** `media:connectTransport` request. */
export const ConnectTransportSchema = z.object({
  transportId: IdSchema,
  dtlsParameters: DtlsParametersSchema,
});

/** `media:produce` request. */
export const ProduceSchema = z.object({
  transportId: IdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  appData: z.optional(z.record(z.string(), z.unknown())),
});
/** Request to start sending a track. */
export type ProduceRequest = z.infer<typeof ProduceSchema>;

/** `media:produce` response. */
export const ProducedSchema = z.object({ producerId: IdSchema });

/** `media:consume` request. */
export const ConsumeSchema = z.object({
  transportId: IdSchema,
  producerId: IdSchema,
  rtpCapabilities: RtpCapabilitiesSchema,
});

/** `media:consume` response: what the client needs to create a consumer (starts paused). */
export const ConsumerOptionsSchema = z.object({
  id: IdSchema,
  producerId: IdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  /** Simulcast layers the producer sends (1 without simulcast); see `media:preferLayer`. */
  spatialLayers: z.optional(z.number().check(z.int(), z.positive())),
});
/** Consumer parameters. */
export type ConsumerOptions = z.infer<typeof ConsumerOptionsSchema>;

/** `media:resume` request (also the shape of `media:pause`). */
export const ResumeConsumerSchema = z.object({ consumerId: IdSchema });

/**
 * `media:preferLayer` request: the highest simulcast layer a consumer may
 * receive (0 = lowest). The server still goes lower when the viewer's
 * bandwidth estimate (REMB) is too small for it.
 */
export const PreferLayerSchema = z.object({
  consumerId: IdSchema,
  spatialLayer: z.number().check(z.int(), z.gte(0), z.lte(3)),
});

/** `media:close` request: closes a transport and everything on it. */
export const CloseTransportSchema = z.object({ transportId: IdSchema });

/** What a video track shows: a camera, or a shared screen, window or tab. */
export const VIDEO_SOURCES = ['camera', 'screen'] as const;
/** What a video track shows. */
export type VideoSource = (typeof VIDEO_SOURCES)[number];
const VideoSourceSchema = z.enum(VIDEO_SOURCES);

/**
 * `media:setSource` request: the publisher's video producer shows a camera
 * or a screen now (its track was replaced). Given at `media:produce` too, as
 * `appData.source`. The room is told with `media:producer` again; a screen on
 * a stage takes the large tile of the composed picture.
 */
export const SetSourceSchema = z.object({ producerId: IdSchema, source: VideoSourceSchema });

/**
 * A producer announced to a stream's room; announced again when its
 * `source` changes.
 */
export const ProducerInfoSchema = z.object({
  streamId: IdSchema,
  producerId: IdSchema,
  kind: MediaKindSchema,
  /** Whose track it is (the stream's owner, a co-host or a guest on stage); absent when relayed from an encoder. */
  userId: z.optional(IdSchema),
  /** A video's source; absent: a camera. */
  source: z.optional(VideoSourceSchema),
});
/** A producer in a stream. */
export type ProducerInfo = z.infer<typeof ProducerInfoSchema>;

/**
 * Why the server closed a transport: the stream key was rotated, the stream
 * ended, ICE/DTLS failed, the connection lost access to the stream
 * (`access-revoked`: privacy change, uninvite, unfollow, ban), or a receive transport
 * carried no media for the server's idle timeout (`idle`).
 */
export const TRANSPORT_CLOSE_REASONS = [
  'key-rotated',
  'stream-ended',
  'failed',
  'access-revoked',
  'idle',
] as const;

/** `media:transportClosed`: the server closed one of this connection's transports. */
export const TransportClosedSchema = z.object({
  transportId: IdSchema,
  reason: z.enum(TRANSPORT_CLOSE_REASONS),
});
/** A transport the server closed, and why. */
export type TransportClosed = z.infer<typeof TransportClosedSchema>;

/**
 * `stream:publisher`: whether a live stream's publisher is sending. After it
 * drops, the stream stays live for a grace period (`reconnecting`, until
 * `endsAt`); it resumes when the publisher returns and ends when it does not.
 */
export const PublisherStateSchema = z.object({
  streamId: IdSchema,
  state: z.enum(['connected', 'reconnecting']),
  /** When the stream ends unless the publisher returns; null while connected. */
  endsAt: z.nullable(TimestampSchema),
});
/** A live stream's publisher state. */
export type PublisherState = z.infer<typeof PublisherStateSchema>;

/**
 * `stream:health`: the ingest as the server sees it, every 5 s, to the
 * stream's owner and moderators (and stored for analytics).
 */
export const StreamHealthSchema = z.object({
  streamId: IdSchema,
  at: TimestampSchema,
  /** How the media arrives. */
  ingest: z.enum(['webrtc', 'whip', 'rtmp']),
  /** Ingest bitrate over the last interval, kbit/s (video and audio). */
  bitrateKbps: z.number().check(z.nonnegative()),
  frameRate: z.number().check(z.nonnegative()),
  width: z.number().check(z.int(), z.nonnegative()),
  height: z.number().check(z.int(), z.nonnegative()),
  /** Average time between keyframes, seconds (null before two keyframes). */
  keyframeIntervalSeconds: z.nullable(z.number().check(z.nonnegative())),
  /** Share of RTP packets lost in the interval, 0–1 (0 over RTMP, which is TCP). */
  packetLoss: z.number().check(z.gte(0), z.lte(1)),
  /** RTP interarrival jitter (RFC 3550), ms (0 over RTMP). */
  jitterMs: z.number().check(z.nonnegative()),
  /** 0–100: 100 is a clean ingest; each problem listed in `issues` lowers it. */
  score: z.number().check(z.int(), z.gte(0), z.lte(100)),
  /** What lowers the score, in words for the host. */
  issues: z.array(z.string()),
});
/** A stream health report. */
export type StreamHealth = z.infer<typeof StreamHealthSchema>;
