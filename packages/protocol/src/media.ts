import * as z from 'zod';
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
  parameter: z.string().optional(),
});

/** A codec a router or device supports. */
export const RtpCodecCapabilitySchema = z.looseObject({
  kind: MediaKindSchema,
  mimeType: z.string().regex(/^(audio|video)\/[\w.-]+$/i),
  preferredPayloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: CodecParametersSchema.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).optional(),
});

/** An RTP header extension a router or device supports. */
export const RtpHeaderExtensionSchema = z.looseObject({
  kind: MediaKindSchema,
  uri: z.string(),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

/** RTP capabilities of a router or a device. */
export const RtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(RtpCodecCapabilitySchema).optional(),
  headerExtensions: z.array(RtpHeaderExtensionSchema).optional(),
});
/** RTP capabilities. */
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

/** A codec as negotiated in RTP parameters. */
export const RtpCodecParametersSchema = z.looseObject({
  mimeType: z.string(),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: CodecParametersSchema.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).optional(),
});

/** One encoding (layer) of a sent stream. */
export const RtpEncodingParametersSchema = z.looseObject({
  ssrc: z.number().int().nonnegative().optional(),
  rid: z.string().optional(),
  rtx: z.looseObject({ ssrc: z.number().int().nonnegative() }).optional(),
  maxBitrate: z.number().positive().optional(),
  scalabilityMode: z.string().optional(),
});

/** RTP parameters of a producer or consumer. */
export const RtpParametersSchema = z.looseObject({
  mid: z.string().optional(),
  codecs: z.array(RtpCodecParametersSchema).min(1),
  headerExtensions: z
    .array(
      z.looseObject({
        uri: z.string(),
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  encodings: z.array(RtpEncodingParametersSchema).optional(),
  rtcp: z
    .looseObject({ cname: z.string().optional(), reducedSize: z.boolean().optional() })
    .optional(),
});
/** RTP parameters. */
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

/** ICE parameters of a server transport (the server is ICE-lite). */
export const IceParametersSchema = z.object({
  usernameFragment: z.string().min(4).max(256),
  password: z.string().min(22).max(256),
  iceLite: z.boolean().optional(),
});

/** An ICE candidate of a server transport. */
export const IceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number().int().nonnegative(),
  address: z.string(),
  ip: z.string().optional(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int().min(1).max(65535),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});

/** DTLS certificate fingerprint. */
export const DtlsFingerprintSchema = z.object({
  algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
  value: z.string().regex(/^([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{2}$/, 'must be a colon-separated hex'),
});

/** DTLS parameters of either side of a transport. */
export const DtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(DtlsFingerprintSchema).min(1),
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
  appData: z.record(z.string(), z.unknown()).optional(),
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
  spatialLayers: z.number().int().positive().optional(),
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
  spatialLayer: z.number().int().min(0).max(3),
});

/** `media:close` request: closes a transport and everything on it. */
export const CloseTransportSchema = z.object({ transportId: IdSchema });

/** A producer announced to a stream's room. */
export const ProducerInfoSchema = z.object({
  streamId: IdSchema,
  producerId: IdSchema,
  kind: MediaKindSchema,
});
/** A producer in a stream. */
export type ProducerInfo = z.infer<typeof ProducerInfoSchema>;

/**
 * Why the server closed a transport: the stream key was rotated, the stream
 * ended, ICE/DTLS failed, the connection lost access to the stream
 * (`access-revoked`: privacy change, uninvite, ban), or a receive transport
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
  endsAt: TimestampSchema.nullable(),
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
  bitrateKbps: z.number().nonnegative(),
  frameRate: z.number().nonnegative(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** Average time between keyframes, seconds (null before two keyframes). */
  keyframeIntervalSeconds: z.number().nonnegative().nullable(),
  /** Share of RTP packets lost in the interval, 0–1 (0 over RTMP, which is TCP). */
  packetLoss: z.number().min(0).max(1),
  /** RTP interarrival jitter (RFC 3550), ms (0 over RTMP). */
  jitterMs: z.number().nonnegative(),
  /** 0–100: 100 is a clean ingest; each problem listed in `issues` lowers it. */
  score: z.number().int().min(0).max(100),
  /** What lowers the score, in words for the host. */
  issues: z.array(z.string()),
});
/** A stream health report. */
export type StreamHealth = z.infer<typeof StreamHealthSchema>;
