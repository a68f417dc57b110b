import { describe, expect, it } from 'vitest';
import {
  ackSchema,
  ChatMessageSchema,
  CLIENT_REQUESTS,
  CreateStreamInputSchema,
  canTransition,
  DtlsParametersSchema,
  ErrorEnvelopeSchema,
  ProduceSchema,
  parseOrError,
  SendChatInputSchema,
  StreamSchema,
} from './index.js';

const stream = {
  id: 'str_abc123',
  owner: { id: 'usr_1', displayName: 'Ada' },
  title: 'Office hours',
  description: '',
  status: 'live',
  privacy: 'public',
  scheduledAt: null,
  startedAt: '2026-11-22T10:00:00.000Z',
  endedAt: null,
  createdAt: '2026-11-22T09:59:00.000Z',
  hlsUrl: '/hls/str_abc123/index.m3u8',
  category: null,
  tags: [],
  thumbnailUrl: null,
  qualityPreset: '720p',
  recording: false,
  viewerLimit: null,
  chat: { enabled: true, mode: 'open', slowModeSeconds: 0, emoteOnly: false },
  reactionsEnabled: true,
  qnaEnabled: false,
  updatedAt: '2026-11-22T10:00:00.000Z',
  recordingUrl: null,
  viewerCount: 3,
};

describe('stream schemas', () => {
  it('parses a valid stream', () => {
    expect(StreamSchema.parse(stream)).toEqual(stream);
  });

  it('rejects an unknown status with the path in the message', () => {
    const result = parseOrError(StreamSchema, { ...stream, status: 'paused' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION_FAILED');
    expect(result.error.message).toMatch(/^status:/);
  });

  it('fills creation defaults and trims the title', () => {
    expect(CreateStreamInputSchema.parse({ title: '  Hello  ' })).toMatchObject({
      title: 'Hello',
      description: '',
      privacy: 'public',
      scheduledAt: null,
      tags: [],
      qualityPreset: '720p',
      chat: {},
      viewerLimit: null,
    });
  });

  it('rejects an empty title and a bad schedule time', () => {
    const empty = parseOrError(CreateStreamInputSchema, { title: '   ' });
    expect(empty.ok || empty.error.message).toBe('title: title is required');
    const badTime = parseOrError(CreateStreamInputSchema, { title: 'x', scheduledAt: 'tomorrow' });
    expect(badTime.ok).toBe(false);
  });

  it('allows only the lifecycle transitions', () => {
    expect(canTransition('scheduled', 'live')).toBe(true);
    expect(canTransition('live', 'ended')).toBe(true);
    expect(canTransition('ended', 'live')).toBe(false);
    expect(canTransition('cancelled', 'live')).toBe(false);
    expect(canTransition('live', 'scheduled')).toBe(false);
  });
});

describe('chat schemas', () => {
  it('trims and accepts 500 code points of emoji', () => {
    const text = '🎉'.repeat(500);
    expect(SendChatInputSchema.parse({ streamId: 's1', text: ` ${text} ` }).text).toBe(text);
  });

  it('rejects 501 code points and whitespace-only text', () => {
    const long = parseOrError(SendChatInputSchema, { streamId: 's1', text: 'a'.repeat(501) });
    expect(long.ok || long.error.message).toMatch(/longer than 500/);
    const blank = parseOrError(SendChatInputSchema, { streamId: 's1', text: ' \n ' });
    expect(blank.ok || blank.error.message).toBe('text: message is empty');
  });

  it('rejects a stream id that is not URL-safe', () => {
    expect(ChatMessageSchema.safeParse({}).success).toBe(false);
    const bad = parseOrError(SendChatInputSchema, { streamId: '../etc', text: 'hi' });
    expect(bad.ok || bad.error.message).toMatch(/^streamId:/);
  });
});

describe('media signalling schemas', () => {
  it('accepts mediasoup-style produce parameters and keeps unknown fields', () => {
    const parsed = ProduceSchema.parse({
      transportId: 'tr_1',
      kind: 'video',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'video/H264', payloadType: 102, clockRate: 90000, extra: 1 }],
        encodings: [{ ssrc: 1234 }],
      },
    });
    expect(parsed.rtpParameters.codecs[0]).toMatchObject({ extra: 1 });
  });

  it('rejects produce without codecs and a malformed fingerprint', () => {
    expect(
      ProduceSchema.safeParse({ transportId: 't', kind: 'video', rtpParameters: { codecs: [] } })
        .success,
    ).toBe(false);
    const dtls = parseOrError(DtlsParametersSchema, {
      role: 'client',
      fingerprints: [{ algorithm: 'sha-256', value: 'not hex' }],
    });
    expect(dtls.ok || dtls.error.message).toMatch(/fingerprints\.0\.value/);
  });

  it('has a request and a response schema for every client request', () => {
    for (const [name, entry] of Object.entries(CLIENT_REQUESTS)) {
      expect(entry.request, name).toBeDefined();
      expect(entry.response, name).toBeDefined();
    }
  });
});

describe('error envelope and acks', () => {
  it('accepts only codes from the closed list', () => {
    expect(ErrorEnvelopeSchema.safeParse({ code: 'NOT_FOUND', message: 'x' }).success).toBe(true);
    expect(ErrorEnvelopeSchema.safeParse({ code: 'TEAPOT', message: 'x' }).success).toBe(false);
  });

  it('parses both sides of an ack', () => {
    const schema = ackSchema(ChatMessageSchema);
    expect(
      schema.safeParse({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow' } }).success,
    ).toBe(true);
    expect(schema.safeParse({ ok: true, data: { id: 1 } }).success).toBe(false);
  });
});
