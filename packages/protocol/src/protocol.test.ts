import { describe, expect, it } from 'vitest';
import { ViewDimensionsSchema } from './analytics.js';
import { EmoteSchema } from './channel.js';
import {
  AskQuestionSchema,
  ackSchema,
  BanUserSchema,
  ChatMessageSchema,
  CLIENT_REQUESTS,
  CreatePollSchema,
  canTransition,
  DtlsParametersSchema,
  ErrorEnvelopeSchema,
  errorEnvelopeOf,
  hasControlCharacters,
  hasLoneSurrogate,
  ProduceSchema,
  parseOrError,
  SendChatInputSchema,
  StreamSchema,
  stripBidiControls,
} from './index.js';
import {
  CreateStreamInputSchema,
  DevTokenRequestSchema,
  PushSubscriptionInputSchema,
  PushUnsubscribeInputSchema,
  TokenClaimsSchema,
  UpdateChannelInputSchema,
  UpdateStreamInputSchema,
} from './inputs.js';

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

  it('leaves out reactionsEnabled and qnaEnabled when omitted, for the server to default', () => {
    const omitted = CreateStreamInputSchema.parse({ title: 'x' });
    expect(omitted).not.toHaveProperty('reactionsEnabled');
    expect(omitted).not.toHaveProperty('qnaEnabled');
    expect(
      CreateStreamInputSchema.parse({ title: 'x', reactionsEnabled: false, qnaEnabled: true }),
    ).toMatchObject({ reactionsEnabled: false, qnaEnabled: true });
    const wrong = parseOrError(CreateStreamInputSchema, { title: 'x', qnaEnabled: 'yes' });
    expect(wrong.ok || wrong.error.message).toMatch(/^qnaEnabled:/);
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

describe('control and bidirectional characters in user text', () => {
  const controls = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f'];

  it('finds every C0 control and DEL; multi-line text keeps tab, LF and CR', () => {
    for (const c of controls) {
      expect(hasControlCharacters(`a${c}b`), c.charCodeAt(0).toString(16)).toBe(true);
      expect(hasControlCharacters(`a${c}b`, { multiline: true })).toBe(!'\t\n\r'.includes(c));
    }
    expect(hasControlCharacters('Ünïcødé 🎉 \u00a0 \u200d')).toBe(false);
    expect(hasLoneSurrogate('🎉 \ud83d\udc4d')).toBe(false);
    for (const lone of ['\ud83d', 'a\udc4d', '\ud800x', '\udc00\ud800']) {
      expect(hasLoneSurrogate(lone), escape(lone)).toBe(true);
    }
  });

  it('refuses them in single-line fields with the field in the message', () => {
    const cases: Array<[unknown, { safeParse(v: unknown): { success: boolean } }]> = [
      [{ title: 'a\u0000b' }, CreateStreamInputSchema],
      [{ title: 'a\tb' }, CreateStreamInputSchema],
      [{ title: 'ok', category: 'x\u001b' }, CreateStreamInputSchema],
      [{ title: 'ok', description: 'a\u0000' }, CreateStreamInputSchema],
      [{ streamId: 's1', text: 'a\u0000b' }, SendChatInputSchema],
      [{ streamId: 's1', text: 'hi', clientId: 'c\u0000' }, SendChatInputSchema],
      [{ streamId: 's1', text: 'why\u0007' }, AskQuestionSchema],
      [{ streamId: 's1', question: 'Q', options: ['a\nb', 'c'] }, CreatePollSchema],
      [{ streamId: 's1', userId: 'u1', reason: 'spam\u0000' }, BanUserSchema],
      [{ displayName: 'x\u007f' }, DevTokenRequestSchema],
      [{ description: 'x\u0000' }, UpdateChannelInputSchema],
      [{ sub: 'u1', name: 'Bob\u0000' }, TokenClaimsSchema],
      [{ endpoint: 'https://push.example/a\u0000' }, PushUnsubscribeInputSchema],
      // Half a surrogate pair: no character; UTF-8 and jsonb cannot hold it.
      [{ title: 'a\ud83d' }, CreateStreamInputSchema],
      [{ streamId: 's1', question: 'Q', options: ['\udc00', 'c'] }, CreatePollSchema],
      [{ streamId: 's1', text: 'hi \ud800' }, SendChatInputSchema],
      [{ streamId: 's1', text: 'why\udfff' }, AskQuestionSchema],
      [{ course: 'c\u0000' }, ViewDimensionsSchema],
      [{ course: 'c\ud800' }, ViewDimensionsSchema],
      [{ code: 'wave', url: 'https://cdn.example/\ud800.png' }, EmoteSchema],
    ];
    for (const [input, schema] of cases) {
      expect(schema.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
    // A dimension is the host's own text, stored as it came: only what cannot be stored is refused,
    // so a tab in one does not make every beacon of a view session be refused.
    const dimensions = { course: 'Maths\tI', note: 'two\nlines\u0007', emoji: '🎉' };
    expect(ViewDimensionsSchema.parse(dimensions)).toEqual(dimensions);
    const title = parseOrError(CreateStreamInputSchema, { title: 'a\u0000b' });
    expect(title.ok || title.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'title: must not contain control characters',
    });
  });

  it('refuses in stream metadata, at any depth, what PostgreSQL jsonb cannot store', () => {
    for (const metadata of [
      { 'a\u0000': 1 },
      { a: 'b\u0000' },
      { a: [{ deep: ['x', 'y\u0000'] }] },
      { a: { 'k\u0000': null } },
      { a: 'lone \ud800 surrogate' },
      { a: ['\udc00'] },
    ]) {
      for (const schema of [CreateStreamInputSchema, UpdateStreamInputSchema]) {
        const result = parseOrError(schema, { title: 'x', metadata });
        expect(result.ok || result.error, JSON.stringify(metadata)).toMatchObject({
          code: 'VALIDATION_FAILED',
          message: 'metadata: metadata must not hold U+0000 or an unpaired surrogate',
        });
      }
    }
    // Other control characters, paired surrogates and an escaped "\u0000" are JSON like any other.
    const fine = { 'tab\tkey': 'line\nbreak\u0007', emoji: '😀', text: '\\u0000' };
    expect(CreateStreamInputSchema.parse({ title: 'x', metadata: fine }).metadata).toEqual(fine);
  });

  it('refuses them in a push endpoint to forget as in one to store', () => {
    const endpoint = 'https://push.example/a\u0000';
    const keys = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };
    expect(PushSubscriptionInputSchema.safeParse({ endpoint, keys }).success).toBe(false);
    const result = parseOrError(PushUnsubscribeInputSchema, { endpoint });
    expect(result.ok || result.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'endpoint: must not contain control characters',
    });
  });

  it('keeps line breaks where text may span lines, and trims them around single-line text', () => {
    expect(SendChatInputSchema.parse({ streamId: 's1', text: 'two\r\nlines\tok' }).text).toBe(
      'two\r\nlines\tok',
    );
    expect(
      CreateStreamInputSchema.parse({ title: '\tTitle\n', description: 'a\nb' }),
    ).toMatchObject({ title: 'Title', description: 'a\nb' });
  });

  it('strips bidirectional controls from display names and name claims', () => {
    expect(
      stripBidiControls('a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069'),
    ).toBe('abcdefghi');
    // Right-to-left letters and the implicit marks (LRM, RLM) stay.
    expect(stripBidiControls('שלום\u200f')).toBe('שלום\u200f');
    expect(DevTokenRequestSchema.parse({ displayName: ' Bob\u202Etxt.exe ' }).displayName).toBe(
      'Bobtxt.exe',
    );
    expect(UpdateChannelInputSchema.parse({ displayName: '\u2067Ada\u2069' }).displayName).toBe(
      'Ada',
    );
    expect(TokenClaimsSchema.parse({ sub: 'u1', name: 'Bob\u202Etxt.exe' }).name).toBe(
      'Bobtxt.exe',
    );
    expect(TokenClaimsSchema.safeParse({ sub: 'u1', name: '\u202E' }).success).toBe(false);
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

  it('errorEnvelopeOf answers as ErrorEnvelopeSchema.safeParse does', () => {
    class Custom {
      code = 'NOT_FOUND';
      message = 'x';
    }
    const withProto = JSON.parse('{ "a": 1, "__proto__": { "b": 2 } }') as unknown;
    const hidden = Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false });
    const inputs: unknown[] = [
      undefined,
      null,
      'NOT_FOUND',
      42,
      [],
      ['NOT_FOUND', 'x'],
      {},
      { code: 'NOT_FOUND' },
      { message: 'x' },
      { code: 'NOT_FOUND', message: 'x' },
      { code: 'TEAPOT', message: 'x' },
      { code: 'toString', message: 'x' },
      { code: 'NOT_FOUND', message: 1 },
      { code: 'NOT_FOUND', message: 'x', extra: true },
      { code: 'NOT_FOUND', message: 'x', details: undefined },
      { code: 'NOT_FOUND', message: 'x', details: null },
      { code: 'NOT_FOUND', message: 'x', details: 'd' },
      { code: 'NOT_FOUND', message: 'x', details: [] },
      { code: 'NOT_FOUND', message: 'x', details: [1] },
      { code: 'NOT_FOUND', message: 'x', details: { issues: [{ path: 'a' }], n: 1 } },
      { code: 'NOT_FOUND', message: 'x', details: Object.create(null) },
      { code: 'NOT_FOUND', message: 'x', details: new Date(0) },
      { code: 'NOT_FOUND', message: 'x', details: new Map() },
      { code: 'NOT_FOUND', message: 'x', details: new Custom() },
      { code: 'NOT_FOUND', message: 'x', details: { [Symbol('s')]: 1 } },
      { code: 'NOT_FOUND', message: 'x', details: withProto },
      { code: 'NOT_FOUND', message: 'x', details: hidden },
      { code: 'NOT_FOUND', message: 'x', details: { constructor: 1 } },
      new Custom(),
      Object.assign(new Error('x'), { code: 'NETWORK' }),
      Object.create({ code: 'NOT_FOUND', message: 'inherited' }),
    ];
    for (const input of inputs) {
      const parsed = ErrorEnvelopeSchema.safeParse(input);
      const envelope = errorEnvelopeOf(input);
      expect(envelope, String(input)).toStrictEqual(parsed.success ? parsed.data : undefined);
    }
  });
});
