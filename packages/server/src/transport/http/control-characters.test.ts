import { type Channel, ErrorEnvelopeSchema } from '@onair/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * Control characters in user text are a validation error on every way in
 * (REST bodies and queries, realtime requests, token claims), never a 500
 * from the database (PostgreSQL refuses NUL in text). Bidirectional controls
 * are stripped from display names, so a name cannot reorder what follows it.
 */
let server: TestServer;
let owner: { token: string; userId: string };
const jwtSecret = 'a host app secret of at least thirty-two bytes';

/** A token as a host app signs it (the harness's own issuer would store the name first). */
const hostToken = (sub: string, name: string) =>
  new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(jwtSecret));

beforeAll(async () => {
  server = await startTestServer({ devAuth: true, jwtSecret });
  owner = await server.token('Owner', { roles: ['broadcaster'] });
});
afterAll(() => server?.close());

async function call(method: string, path: string, token: string | undefined, json?: unknown) {
  const response = await server.request(path, {
    method,
    ...(token ? { token } : {}),
    ...(json === undefined ? {} : { json }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function refused(method: string, path: string, token: string | undefined, json?: unknown) {
  const { status, body } = await call(method, path, token, json);
  expect(status, JSON.stringify(json)).toBe(400);
  return ErrorEnvelopeSchema.parse(body);
}

describe('control characters in user text', () => {
  it('refuses them in stream fields with 400 VALIDATION_FAILED, on PGlite and PostgreSQL alike', async () => {
    const error = await refused('POST', '/v1/streams', owner.token, { title: 'a\u0000b' });
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(error.message).toMatch(/^title:/);
    for (const body of [
      { title: 'a\u0007b' },
      { title: 'a\tb' },
      { title: 'a\u007fb' },
      { title: 'ok', description: 'a\u0000b' },
      { title: 'ok', category: 'a\u001bb' },
    ]) {
      expect((await refused('POST', '/v1/streams', owner.token, body)).code).toBe(
        'VALIDATION_FAILED',
      );
    }
    // Multi-line text keeps its tabs and line breaks; a title's outer whitespace is trimmed.
    const created = await call('POST', '/v1/streams', owner.token, {
      title: ' Office hours\n',
      description: 'Line one\r\n\tLine two',
    });
    expect(created.status).toBe(201);
    const { stream } = created.body as {
      stream: { id: string; title: string; description: string };
    };
    expect(stream).toMatchObject({ title: 'Office hours', description: 'Line one\r\n\tLine two' });
    expect(
      (await refused('PATCH', `/v1/streams/${stream.id}`, owner.token, { title: 'x\u0000' })).code,
    ).toBe('VALIDATION_FAILED');
    expect((await refused('GET', '/v1/streams?category=a%00b', undefined)).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await refused('PATCH', '/v1/channels/me', owner.token, { description: '\u0000' })).code,
    ).toBe('VALIDATION_FAILED');
  });

  it('refuses in stream metadata what jsonb cannot store (U+0000, a lone surrogate): 400, not a 500', async () => {
    const created = await call('POST', '/v1/streams', owner.token, { title: 'Linked' });
    const { stream } = created.body as { stream: { id: string } };
    for (const metadata of [
      { 'key\u0000': 1 },
      { note: 'a\u0000b' },
      { nested: [{ deep: 'a\u0000b' }] },
      { note: 'half of 😀: \ud83d' },
    ]) {
      for (const [method, path] of [
        ['POST', '/v1/streams'],
        ['PATCH', `/v1/streams/${stream.id}`],
      ] as const) {
        const error = await refused(method, path, owner.token, { title: 'Linked', metadata });
        expect([method, error.code, error.message]).toEqual([
          method,
          'VALIDATION_FAILED',
          'metadata: metadata must not hold U+0000 or an unpaired surrogate',
        ]);
      }
    }
    // Other control characters are JSON like any other, and stored as sent.
    const metadata = { 'tab\tkey': 'line\nbreak\u0007', emoji: '😀' };
    const edited = await call('PATCH', `/v1/streams/${stream.id}`, owner.token, { metadata });
    expect([edited.status, (edited.body as { metadata: unknown }).metadata]).toEqual([
      200,
      metadata,
    ]);
  });

  it('refuses them in chat, questions, polls and moderation over realtime', async () => {
    const streamId = await server.liveStream(owner.token, { qnaEnabled: true });
    const socket = await server.socket(owner.token);
    expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    const requests = [
      socket.emitWithAck('chat:send', { streamId, text: 'a\u0000b' }),
      socket.emitWithAck('chat:send', { streamId, text: 'a\u0008b' }),
      socket.emitWithAck('qna:ask', { streamId, text: 'why\u0000?' }),
      socket.emitWithAck('poll:create', {
        streamId,
        question: 'Which?',
        options: ['a\u0000', 'b'],
      }),
      socket.emitWithAck('poll:create', {
        streamId,
        question: 'Wh\u0001ich?',
        options: ['a', 'b'],
      }),
      socket.emitWithAck('moderation:command', { streamId, command: '/ban \u0000' }),
      // Half a surrogate pair: a poll's options are jsonb, which refuses it (a 500 before).
      socket.emitWithAck('poll:create', {
        streamId,
        question: 'Which?',
        options: ['a\ud800', 'b'],
      }),
      socket.emitWithAck('chat:send', { streamId, text: 'lone \udc00' }),
    ];
    for (const ack of await Promise.all(requests)) {
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    const sent = await socket.emitWithAck('chat:send', { streamId, text: 'two\nlines' });
    expect(sent.ok && sent.data.text).toBe('two\nlines');
  });
});

describe('display names', () => {
  it('strips bidirectional controls from a development token name, and refuses control characters', async () => {
    const { status, body } = await call('POST', '/v1/dev/token', undefined, {
      displayName: 'Ada\u202Egnp.exe\u2066x\u2069',
    });
    expect(status).toBe(201);
    expect((body as { user: { displayName: string } }).user.displayName).toBe('Adagnp.exex');
    expect(
      (await refused('POST', '/v1/dev/token', undefined, { displayName: 'Ada\u0000' })).code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (await refused('POST', '/v1/dev/token', undefined, { displayName: '\u202E' })).code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (await refused('PATCH', '/v1/channels/me', owner.token, { displayName: 'a\nb' })).code,
    ).toBe('VALIDATION_FAILED');
    const renamed = await call('PATCH', '/v1/channels/me', owner.token, {
      displayName: '\u202DOwner\u202C',
    });
    expect((renamed.body as Channel).displayName).toBe('Owner');
  });

  it('strips bidirectional controls from a token name claim, and refuses a token whose name has control characters', async () => {
    const spoofed = await hostToken('usr_bob', 'Bob\u202Etxt.exe');
    const channel = await call('PATCH', '/v1/channels/me', spoofed, { description: 'hi' });
    expect(channel.status).toBe(200);
    expect((channel.body as Channel).displayName).toBe('Bobtxt.exe');

    const broken = await hostToken('usr_bob', 'Bob\u0000');
    const response = await call('PATCH', '/v1/channels/me', broken, { description: 'hi' });
    expect(response.status).toBe(401);
    expect(ErrorEnvelopeSchema.parse(response.body).code).toBe('UNAUTHORIZED');
    const socket = await server.socket(broken).catch((error: Error) => error);
    expect(socket).toBeInstanceOf(Error);
  });
});
