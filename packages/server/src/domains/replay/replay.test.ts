import type { ChildProcess } from 'node:child_process';
import { ErrorEnvelopeSchema } from '@onair/protocol';
import { ChapterListSchema, ChapterSchema, ReplayWindowSchema } from '@onair/protocol/replay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeClient, startTestServer, type TestServer } from '../../../test/harness.js';
import { publishRtmp } from '../../../test/rtmp-publisher.js';

/*
 * Replay with chat on a real server, with real RTMP from ffmpeg: chat,
 * questions, answers, reactions and markers made while live come back placed
 * on the recording's timeline, live (so far) and after the end.
 */
let server: TestServer;
let owner: { token: string; userId: string };
let fan: { token: string; userId: string };
let stream: { id: string; streamKey: string };
const sockets: RealtimeClient[] = [];
let encoder: ChildProcess | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const call: TestServer['call'] = (...args) => server.call(...args);

const codeOf = (body: unknown) => ErrorEnvelopeSchema.parse(body).code;

async function replay(from: number, to: number) {
  const answer = await call('GET', `/v1/streams/${stream.id}/replay?from=${from}&to=${to}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return ReplayWindowSchema.parse(answer.body);
}

/** Seconds of media the recording holds so far. */
async function recordedSeconds(): Promise<number> {
  const master = await server.request(`/hls/${stream.id}/master.m3u8`);
  if (master.status !== 200) return 0;
  const uri = (await master.text()).split('\n').find((line) => line.endsWith('.m3u8'));
  const media = await (await server.request(`/hls/${stream.id}/${uri}`)).text();
  return [...media.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(250);
  }
}

let firstSentAt = 0;
let secondSentAt = 0;

beforeAll(async () => {
  server = await startTestServer({ media: { rtmpPort: 0, ladder: ['240p'] } });
  owner = await server.token('Replay owner', { roles: ['broadcaster'] });
  fan = await server.token('Replay fan');
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title: 'Match with chat', recording: true, qnaEnabled: true },
  });
  const body = (await created.json()) as { stream: { id: string }; streamKey: string };
  stream = { id: body.stream.id, streamKey: body.streamKey };
  encoder = publishRtmp(`${server.rtmpUrl}/${stream.streamKey}`, { seconds: 30 });
  encoder.stderr?.resume();
  await waitFor(async () => (await recordedSeconds()) >= 4, 45_000, 'the recording to start');
  const [host, viewer] = [await server.socket(owner.token), await server.socket(fan.token)];
  sockets.push(host, viewer);
  for (const socket of sockets) await socket.emitWithAck('stream:join', { streamId: stream.id });

  firstSentAt = Date.now();
  await viewer.emitWithAck('chat:send', { streamId: stream.id, text: 'first' });
  await sleep(1500);
  expect(
    (await call('POST', `/v1/streams/${stream.id}/markers`, owner, { title: 'Kick-off' })).status,
  ).toBe(201);
  const asked = (await viewer.emitWithAck('qna:ask', {
    streamId: stream.id,
    text: 'Who scores?',
  })) as {
    data: { id: string };
  };
  await sleep(1000);
  await host.emitWithAck('qna:answer', {
    streamId: stream.id,
    questionId: asked.data.id,
    answered: true,
    text: 'Number 9',
  });
  await viewer.emitWithAck('reaction:send', { streamId: stream.id, emoji: '🔥' });
  const spam = (await viewer.emitWithAck('chat:send', { streamId: stream.id, text: 'spam' })) as {
    data: { id: string };
  };
  await host.emitWithAck('chat:delete', { streamId: stream.id, messageId: spam.data.id });
  await sleep(1500);
  secondSentAt = Date.now();
  await viewer.emitWithAck('chat:send', { streamId: stream.id, text: 'second' });
  // The recording reaches the last message; reactions are stored every 5 s.
  const until = (await recordedSeconds()) + 8;
  await waitFor(async () => (await recordedSeconds()) >= until, 30_000, 'more recording');
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  encoder?.kill('SIGKILL');
  await server?.close();
});

describe(`replay with chat (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('places the chat on the recording while the stream is still live', async () => {
    const live = await replay(0, 300);
    expect(live.messages.map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('places chat, questions, answers, reactions and chapters on the finished recording', async () => {
    expect((await call('POST', `/v1/streams/${stream.id}/end`, owner)).status).toBe(200);
    await waitFor(
      async () =>
        ((await call('GET', `/v1/streams/${stream.id}`)).body as { recordingUrl: string | null })
          .recordingUrl !== null,
      20_000,
      'the recording',
    );
    const master = await (await server.request(`/hls/${stream.id}/master.m3u8`)).text();
    const uri = master.split('\n').find((line) => line.endsWith('.m3u8'));
    const vod = await (await server.request(`/hls/${stream.id}/${uri}`)).text();
    expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod).toMatch(/#EXT-X-PROGRAM-DATE-TIME:\d{4}-/);

    const all = await replay(0, 300);
    expect(all.truncated).toBe(false);
    expect(all.messages.map((m) => m.text)).toEqual(['first', 'second']);
    const [first, second] = all.messages;
    const gap = (second?.offsetSeconds ?? 0) - (first?.offsetSeconds ?? 0);
    // Where they are in the recording is as far apart as when they were sent.
    expect(Math.abs(gap - (secondSentAt - firstSentAt) / 1000)).toBeLessThan(0.5);
    expect(first?.offsetSeconds).toBeGreaterThan(0);

    const [question] = all.questions;
    expect(question).toMatchObject({ text: 'Who scores?', answer: { text: 'Number 9' } });
    expect(question?.offsetSeconds).toBeGreaterThan(first?.offsetSeconds ?? 0);
    expect(question?.answerOffsetSeconds).toBeGreaterThan(question?.offsetSeconds ?? 0);
    expect(question?.answerOffsetSeconds).toBeLessThan(second?.offsetSeconds ?? 0);

    expect(all.reactions).toEqual([
      expect.objectContaining({ emoji: '🔥', count: 1, spanSeconds: expect.any(Number) }),
    ]);

    const chapters = ChapterListSchema.parse(
      (await call('GET', `/v1/streams/${stream.id}/chapters`)).body,
    ).items;
    expect(chapters.map((c) => c.title)).toEqual(['Kick-off']);
    expect(chapters[0]?.offsetSeconds).toBeGreaterThan(first?.offsetSeconds ?? 0);
    expect(chapters[0]?.offsetSeconds).toBeLessThan(question?.offsetSeconds ?? 0);

    // A window after the first message leaves it to the window before.
    const later = await replay((first?.offsetSeconds ?? 0) + 0.1, 300);
    expect(later.messages.map((m) => m.text)).toEqual(['second']);
    const earlier = await replay(0, (first?.offsetSeconds ?? 0) + 0.1);
    expect(earlier.messages.map((m) => m.text)).toEqual(['first']);
  });

  it('refuses the replay and the chapters to a user banned from the channel, as the live chat does', async () => {
    const banned = await server.token('Banned from replays');
    const base = `/v1/streams/${stream.id}`;
    expect((await call('GET', `${base}/replay?from=0&to=300`, banned)).status).toBe(200);
    const host = sockets[0];
    const ack = await host?.emitWithAck('moderation:ban', {
      streamId: stream.id,
      userId: banned.userId,
    });
    expect(ack?.ok).toBe(true);
    for (const path of [`${base}/replay?from=0&to=300`, `${base}/chapters`]) {
      const refused = await call('GET', path, banned);
      expect([path, refused.status, codeOf(refused.body)]).toEqual([path, 403, 'BANNED']);
    }
    expect((await call('GET', `${base}/replay?from=0&to=300`, fan)).status).toBe(200);
  });

  it('lets only the stream staff set markers, while live; typed errors otherwise', async () => {
    const base = `/v1/streams/${stream.id}`;
    expect(codeOf((await call('POST', `${base}/markers`, fan, { title: 'Mine' })).body)).toBe(
      'FORBIDDEN',
    );
    expect((await call('POST', `${base}/markers`, undefined, { title: 'Mine' })).status).toBe(401);
    const ended = await call('POST', `${base}/markers`, owner, { title: 'Late' });
    expect(ended.status).toBe(409);
    expect(codeOf(ended.body)).toBe('STREAM_NOT_LIVE');
    for (const query of ['from=0&to=301', 'from=10&to=5', 'from=-1&to=5', 'from=a&to=5', 'to=5']) {
      const bad = await call('GET', `${base}/replay?${query}`);
      expect(bad.status, query).toBe(400);
      expect(codeOf(bad.body)).toBe('VALIDATION_FAILED');
    }
    const scheduled = await server.liveStream(owner.token, { title: 'Later' }, false);
    const none = await call('GET', `/v1/streams/${scheduled}/replay?from=0&to=60`);
    expect(codeOf(none.body)).toBe('STREAM_NOT_LIVE');
    expect((await call('GET', `/v1/streams/str_nothing/chapters`)).status).toBe(404);

    const live = await server.liveStream(owner.token, { title: 'Live' });
    const made = await call('POST', `/v1/streams/${live}/markers`, owner, { title: 'Now' });
    expect(made.status).toBe(201);
    const chapter = ChapterSchema.parse(made.body);
    // Nothing is recorded on this stream: the chapter has no place yet.
    expect(chapter.offsetSeconds).toBeNull();
    expect(
      codeOf((await call('POST', `/v1/streams/${live}/markers`, owner, { title: ' ' })).body),
    ).toBe('VALIDATION_FAILED');
    expect((await call('DELETE', `/v1/streams/${live}/markers/${chapter.id}`, fan)).status).toBe(
      403,
    );
    expect((await call('DELETE', `/v1/streams/${live}/markers/${chapter.id}`, owner)).status).toBe(
      204,
    );
    expect((await call('DELETE', `/v1/streams/${live}/markers/${chapter.id}`, owner)).status).toBe(
      404,
    );
  });
});
