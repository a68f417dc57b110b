import type {
  Chapter,
  ReplayMessage,
  ReplayQuestion,
  ReplayReaction,
} from '@onair/protocol/replay';
import { delay, HttpResponse, http } from 'msw';
import { MOCK_BASE, mockStream, STILL } from './mocks.js';

/** Seconds of the story's recording. */
export const REPLAY_SECONDS = 120;

const at = new Date(Date.now() - 3_600_000).toISOString();
const people = [
  { id: 'usr_host', displayName: 'Ada (host)', badges: ['owner' as const] },
  { id: 'usr_grace', displayName: 'Grace', badges: ['subscriber-2' as const] },
  { id: 'usr_linus', displayName: 'Linus', badges: [] },
  { id: 'usr_margaret', displayName: 'Margaret', badges: ['moderator' as const] },
];
const lines = [
  'Hello everyone, we start in a minute',
  'Hi from Lisbon!',
  'Is the repo public?',
  'The link is in the description',
  'That build time 🔥',
  'Can you zoom in on the terminal?',
  'Zoomed in, better?',
  'Much better, thanks',
  'What editor is that?',
  'Demo time!',
];

/** A message every 6 s of the recording, from someone else each time. */
const messages: ReplayMessage[] = Array.from({ length: REPLAY_SECONDS / 6 }, (_, i) => {
  const author = people[i % people.length] ?? (people[0] as (typeof people)[number]);
  return {
    id: `msg_${i}`,
    streamId: 'str_story',
    author: { id: author.id, displayName: author.displayName, badges: [...author.badges] },
    text: lines[i % lines.length] ?? '',
    createdAt: at,
    offsetSeconds: 2 + i * 6,
  };
});

/** Asked at 0:20, answered in writing at 0:35. */
const questions: ReplayQuestion[] = [
  {
    id: 'q_story',
    streamId: 'str_story',
    author: { id: 'usr_linus', displayName: 'Linus' },
    text: 'Does this work with Postgres 17?',
    upvotes: 9,
    answered: true,
    answer: {
      text: 'Yes, the tests run on 17 in CI.',
      by: { id: 'usr_host', displayName: 'Ada (host)' },
      at,
    },
    answering: false,
    hidden: false,
    createdAt: at,
    offsetSeconds: 20,
    answerOffsetSeconds: 35,
  },
];

/** Each minute's reactions, spread over it. */
const reactions: ReplayReaction[] = [
  { emoji: '🔥', count: 40, offsetSeconds: 0, spanSeconds: 60 },
  { emoji: '👏', count: 12, offsetSeconds: 0, spanSeconds: 60 },
  { emoji: '🎉', count: 30, offsetSeconds: 60, spanSeconds: 60 },
];

const user = { id: 'usr_host', displayName: 'Ada (host)' };
/** The story's chapters, as the owner marked them while live. */
export const REPLAY_CHAPTERS: Chapter[] = [
  { id: 'mrk_intro', title: 'Intro', offsetSeconds: 0, createdBy: user, at },
  { id: 'mrk_qna', title: 'Questions', offsetSeconds: 30, createdBy: user, at },
  { id: 'mrk_demo', title: 'Demo', offsetSeconds: 75, createdBy: user, at },
];

/** The replay REST API of `str_story`; `error` answers every window with it. */
export function replayHandlers(error?: { code: string; message: string; status: number }) {
  const within = (from: number, to: number) => (offset: number) => offset >= from && offset < to;
  return [
    http.get(`${MOCK_BASE}/v1/streams/:id/replay`, async ({ request, params }) => {
      await delay(150);
      if (error) {
        return HttpResponse.json(
          { code: error.code, message: error.message },
          { status: error.status },
        );
      }
      const query = new URL(request.url).searchParams;
      const from = Number(query.get('from'));
      const to = Number(query.get('to'));
      const inWindow = within(from, to);
      return HttpResponse.json({
        streamId: params.id,
        from,
        to,
        messages: messages.filter((m) => inWindow(m.offsetSeconds)),
        questions: questions.filter((q) => inWindow(q.offsetSeconds)),
        reactions: reactions.filter((r) => inWindow(r.offsetSeconds)),
        truncated: false,
      });
    }),
    http.get(`${MOCK_BASE}/v1/streams/:id/chapters`, () =>
      HttpResponse.json({ items: error ? [] : REPLAY_CHAPTERS }),
    ),
  ];
}

/**
 * A live `str_story` whose markers the story's user may set (answering
 * after `wait`), or refusing them with `error`.
 */
export function markerHandlers(
  wait: number | 'infinite',
  error?: { code: string; message: string; status: number },
) {
  return [
    http.get(`${MOCK_BASE}/v1/streams/:id`, () => HttpResponse.json(mockStream('live'))),
    http.post(`${MOCK_BASE}/v1/streams/:id/markers`, async ({ request }) => {
      await delay(wait);
      if (error) {
        return HttpResponse.json(
          { code: error.code, message: error.message },
          { status: error.status },
        );
      }
      const { title } = (await request.json()) as { title: string };
      const chapter: Chapter = {
        id: 'mrk_new',
        title,
        offsetSeconds: 754,
        createdBy: user,
        at: new Date().toISOString(),
      };
      return HttpResponse.json(chapter, { status: 201 });
    }),
  ];
}

/**
 * A stand-in for the `<video>` playing the recording: its time moves only
 * when the story says so (a control, or "playing" four times a second).
 */
export class StoryMedia extends EventTarget {
  currentTime = 0;
  paused = true;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Moves to `time` as a seek does. */
  seekTo(time: number): void {
    this.currentTime = time;
    this.dispatchEvent(new Event('seeked'));
  }

  /** Plays on (4 time updates a second, as browsers fire them) or pauses. */
  setPlaying(playing: boolean): void {
    if (playing === !this.paused) return;
    this.paused = !playing;
    clearInterval(this.#timer);
    // Under test:stories the replay stays where it is: its screenshot is the same every time.
    if (playing && !STILL) {
      this.#timer = setInterval(() => {
        this.currentTime = Math.min(REPLAY_SECONDS, this.currentTime + 0.25);
        this.dispatchEvent(new Event('timeupdate'));
      }, 250);
    }
    this.dispatchEvent(new Event(playing ? 'play' : 'pause'));
  }
}
