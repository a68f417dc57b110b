import {
  CLIENT_REQUESTS,
  type ClientRequestName,
  ERROR_CODES,
  MAX_REALTIME_PAYLOAD_BYTES,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { requests } from '../../../test/realtime-requests.js';
import { REQUEST_RATE } from './request-limit.js';

let server: TestServer;
let owner: { token: string; userId: string };
let streamId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Host');
  streamId = await server.liveStream(owner.token, { qnaEnabled: true });
});
afterAll(() => server?.close());

const { send, sendRaw } = requests({ timeout: 5000 });

const WRONG_VALUES: unknown[] = [
  null,
  -1,
  1e308,
  '',
  'x'.repeat(2000),
  'bad id with spaces!',
  true,
  [],
  {},
  [1, [2, [3, [4]]]],
  { $gt: '' },
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '\u0000\uffff',
];

/** Malformed payloads for a request, derived from its schema's fields. */
function malformed(name: ClientRequestName, valid: Record<string, unknown>): unknown[] {
  const schema = CLIENT_REQUESTS[name].request as unknown as z.ZodObject;
  const fields = Object.keys(schema.shape ?? {});
  const out: unknown[] = [
    undefined,
    null,
    42,
    'text',
    [],
    [valid],
    JSON.parse('{"__proto__":{"admin":true}}'),
  ];
  for (const field of fields) {
    for (const wrong of WRONG_VALUES) out.push({ ...valid, [field]: wrong });
    const { [field]: _dropped, ...without } = valid;
    out.push(without);
  }
  return out;
}

describe('abuse and bad input', () => {
  it('closes a connection that sends a frame over the size cap; others are unaffected', async () => {
    const bystander = await server.socket();
    await send(bystander, 'stream:join', { streamId });
    const abuser = await server.socket(owner.token);
    const closed = new Promise<string>((resolve) => abuser.once('disconnect', resolve));
    abuser.emit(
      'chat:send',
      { streamId, text: 'x'.repeat(MAX_REALTIME_PAYLOAD_BYTES + 1) },
      () => {},
    );
    expect(await closed).toMatch(/transport (close|error)/);
    expect((await send(bystander, 'chat:history', { streamId })).ok).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers malformed events with an error and keeps the connection', async () => {
    const socket = await server.socket(owner.token);
    const ack = await sendRaw(socket, 'chat:send', { streamId: 42, text: { nested: true } });
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('VALIDATION_FAILED');
    // An unknown request is answered, not left waiting.
    const unknown = await sendRaw(socket, 'no:such-event', 1);
    expect(unknown).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Unknown request no:such-event' },
    });
    // A request sent with its acknowledgement alone (no payload) is answered, as invalid.
    const bare = await sendRaw(socket, 'chat:history');
    expect(bare).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // No acknowledgement callback, an unknown event without one, a binary payload: ignored.
    (socket.emit as (n: string, ...a: unknown[]) => void)('chat:send', {
      streamId,
      text: 'no ack',
    });
    (socket.emit as (n: string, ...a: unknown[]) => void)('no:such-event', 1);
    (socket.emit as (n: string, ...a: unknown[]) => void)('chat:send', Buffer.alloc(64), () => {});
    expect(socket.connected).toBe(true);
    expect((await send(socket, 'stream:join', { streamId })).ok).toBe(true);
  });

  it('rate-limits a chat flood with a notice and stores only what the limit allows', async () => {
    const flooder = await server.token('Flooder');
    const socket = await server.socket(flooder.token);
    await send(socket, 'stream:join', { streamId });
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(socket, 'chat:send', { streamId, text: `flood ${i}` }),
      ),
    );
    const limited = acks.filter((a) => !a.ok);
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    expect(new Set(limited.map((a) => a.error.code))).toEqual(new Set(['RATE_LIMITED']));
    expect(limited[0]?.error.details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(socket.connected).toBe(true);
  });

  it('survives schema-driven malformed payloads for every client event; nothing is stored', async () => {
    const viewer = await server.token('Fuzzer');
    // Fresh connections before their request budget runs out: every payload reaches its handler.
    const connect = async () => [await server.socket(viewer.token), await server.socket()];
    let sockets = await connect();
    const used = [...sockets];
    let sentOnThese = 0;
    // A stream they may see but have not joined: nothing they send may change it.
    const target = await server.liveStream(owner.token, { qnaEnabled: true });
    const valid: Record<string, unknown> = {
      streamId: target,
      text: 'hello',
      messageId: 'msg_x',
      questionId: 'q_x',
      pollId: 'poll_x',
      userId: 'usr_x',
      emoji: '👍',
      option: 0,
      options: ['a', 'b'],
      question: 'Q?',
      command: '/slow 5',
      seconds: 10,
      answered: true,
      transportId: 'tr_x',
      direction: 'send',
      kind: 'video',
      limit: 10,
    };
    let sent = 0;
    const okNames = new Set<string>();
    // Joining last: a join that succeeds must not let later payloads through.
    const names = (Object.keys(CLIENT_REQUESTS) as ClientRequestName[]).sort(
      (a, b) => Number(a === 'stream:join') - Number(b === 'stream:join'),
    );
    for (const name of names) {
      for (const payload of malformed(name, valid)) {
        if (sentOnThese >= REQUEST_RATE.capacity / 2) {
          sockets = await connect();
          used.push(...sockets);
          sentOnThese = 0;
        }
        sentOnThese++;
        for (const socket of sockets) {
          const ack = await sendRaw(socket, name, payload);
          sent++;
          if (ack.ok) {
            okNames.add(name);
            continue;
          }
          expect(ERROR_CODES, `${name} ${JSON.stringify(payload)}`).toContain(ack.error.code);
          expect(ack.error.code, `${name} ${JSON.stringify(payload)}`).not.toBe('INTERNAL');
          expect(ack.error.message).not.toBe('Too many requests on this connection');
        }
      }
    }
    expect(sent).toBeGreaterThan(1500);
    expect(used.every((socket) => socket.connected)).toBe(true);
    // Only requests that store nothing may succeed with such payloads.
    for (const name of okNames) {
      expect(
        [
          'stream:join',
          'stream:leave',
          'streams:watch',
          'streams:unwatch',
          'chat:history',
          'qna:list',
          'poll:list',
        ],
        name,
      ).toContain(name);
    }
    const host = await server.socket(owner.token);
    expect((await send(host, 'chat:history', { streamId: target })).data.items).toEqual([]);
    expect((await send(host, 'qna:list', { streamId: target })).data.items).toEqual([]);
    expect((await send(host, 'poll:list', { streamId: target })).data.items).toEqual([]);
    expect((await send(host, 'reaction:stats', { streamId: target })).data.total).toBe(0);
  });
});
