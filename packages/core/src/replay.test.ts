import type { Chapter, ReplayMessage, ReplayQuestion, ReplayWindow } from '@onair/protocol/replay';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ReplayState, ReplayStore } from './replay.js';
import { OnAirClient } from './transport/client.js';

/* The replay store against its HTTP boundary (msw answering as the server does). */

const BASE = 'http://onair.test';
const api = setupServer();
beforeAll(() => api.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

const clients: OnAirClient[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

const user = { id: 'usr_fan', displayName: 'Fan' };
const at = '2026-12-04T20:00:00.000Z';

const message = (id: string, offsetSeconds: number): ReplayMessage => ({
  id,
  streamId: 'str_1',
  author: { ...user, badges: [] },
  text: id,
  createdAt: at,
  offsetSeconds,
});

const question: ReplayQuestion = {
  id: 'q1',
  streamId: 'str_1',
  author: user,
  text: 'Who scores?',
  upvotes: 2,
  answered: true,
  answer: { text: 'Number 9', by: user, at },
  answering: false,
  hidden: false,
  createdAt: at,
  offsetSeconds: 10,
  answerOffsetSeconds: 20,
};

const chapters: Chapter[] = [
  { id: 'mrk_1', title: 'Kick-off', offsetSeconds: 12, createdBy: user, at },
  { id: 'mrk_2', title: 'Off the record', offsetSeconds: null, createdBy: user, at },
];

const windows: Record<number, Omit<ReplayWindow, 'streamId' | 'from' | 'to'>> = {
  0: {
    messages: [message('m1', 5), message('m2', 30)],
    questions: [question],
    reactions: [{ emoji: '🔥', count: 6, offsetSeconds: 0, spanSeconds: 60 }],
    truncated: false,
  },
  60: { messages: [message('m3', 65)], questions: [], reactions: [], truncated: false },
};

/** Serves the stream's replay windows and chapters; returns the windows asked for (`from`). */
function serve(streamId = 'str_1', failing?: { status: number; code: string }) {
  const asked: number[] = [];
  api.use(
    http.get(`${BASE}/v1/streams/${streamId}/replay`, ({ request }) => {
      const url = new URL(request.url);
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to'));
      asked.push(from);
      if (failing) {
        return HttpResponse.json(
          { code: failing.code, message: 'No recording' },
          { status: failing.status },
        );
      }
      const empty = { messages: [], questions: [], reactions: [], truncated: false };
      return HttpResponse.json({ streamId, from, to, ...(windows[from] ?? empty) });
    }),
    http.get(`${BASE}/v1/streams/${streamId}/chapters`, () =>
      HttpResponse.json({ items: failing ? [] : chapters }),
    ),
  );
  return asked;
}

function store(streamId = 'str_1') {
  const client = new OnAirClient({ baseUrl: BASE });
  clients.push(client);
  return new ReplayStore(client, streamId);
}

/** The next snapshot that passes `check`. */
function until(replay: ReplayStore, check: (state: ReplayState) => boolean): Promise<ReplayState> {
  return new Promise((resolve) => {
    if (check(replay.getSnapshot())) return resolve(replay.getSnapshot());
    const off = replay.subscribe((state) => {
      if (!check(state)) return;
      off();
      resolve(state);
    });
  });
}

describe('ReplayStore', () => {
  it('shows what had happened by the playback position, and loads the minutes around it', async () => {
    const asked = serve();
    const replay = store();
    const off = replay.subscribe(() => undefined);
    replay.seek(8);
    let state = await until(replay, (s) => s.status === 'ready' && s.chapters.length === 2);
    expect(state.messages.map((m) => m.id)).toEqual(['m1']);
    expect(state.questions).toEqual([]);
    expect(state.chapter).toBeNull();
    expect(state.reactions.map((r) => r.emoji)).toEqual(['🔥']);
    // The minute playing and the next one; none before the first.
    expect([...asked].sort((a, b) => a - b)).toEqual([0, 60]);

    replay.seek(15);
    state = replay.getSnapshot();
    expect(state.questions).toMatchObject([{ id: 'q1', answered: false, answer: null }]);
    expect(state.chapter?.title).toBe('Kick-off');

    replay.seek(25);
    expect(replay.getSnapshot().questions).toMatchObject([{ answer: { text: 'Number 9' } }]);

    // Moving on with nothing new to show tells no listener.
    let told = 0;
    const count = replay.subscribe(() => told++);
    replay.seek(25.25);
    replay.seek(25.5);
    expect(told).toBe(0);
    expect(replay.getSnapshot().time).toBe(25.5);
    count();

    replay.seek(70);
    state = await until(replay, (s) => s.messages.length === 3 && s.status === 'ready');
    expect(state.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(state.reactions).toEqual([]);
    await expect.poll(() => asked).toContain(120);

    // Seeking back shows the past again, from what is loaded.
    replay.seek(6);
    expect(replay.getSnapshot().messages.map((m) => m.id)).toEqual(['m1']);
    off();
  });

  it('follows a media element until detached', async () => {
    const asked = serve();
    const replay = store();
    const off = replay.subscribe(() => undefined);
    const media = Object.assign(new EventTarget(), { currentTime: 31 });
    const detach = replay.attach(media as unknown as HTMLMediaElement);
    await until(replay, (s) => s.messages.length === 2);
    media.currentTime = 4;
    media.dispatchEvent(new Event('seeked'));
    expect(replay.getSnapshot().messages).toEqual([]);
    detach();
    media.currentTime = 40;
    media.dispatchEvent(new Event('timeupdate'));
    expect(replay.getSnapshot().time).toBe(4);
    // The next minute was asked for too: answered before this test's server goes.
    await expect.poll(() => asked).toContain(60);
    await new Promise((resolve) => setTimeout(resolve, 20));
    off();
  });

  it('reports a stream without a recording once, without asking again at every tick', async () => {
    const asked = serve('str_none', { status: 409, code: 'STREAM_NOT_LIVE' });
    const replay = store('str_none');
    const off = replay.subscribe(() => undefined);
    const state = await until(replay, (s) => s.status === 'error');
    expect(state.error?.code).toBe('STREAM_NOT_LIVE');
    // The minute playing and the next one were asked for once each, and refused.
    await expect.poll(() => asked.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = asked.length;
    for (let t = 0; t < 5; t += 0.25) replay.seek(t);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked.length).toBe(before);
    off();
  });
});
