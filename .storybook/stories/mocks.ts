import {
  type ChatEntry,
  type ChatState,
  OnAirClient,
  OnAirError,
  PLAYER_IDLE_STATE,
  type PlayerControls,
  type PlayerState,
  type PollState,
  type PresenceState,
  PUBLISHER_IDLE_STATE,
  type PublisherControls,
  type PublisherState,
  type QualityName,
  type QuestionState,
  type ReactionState,
  type StreamHealthState,
} from '@onair/core';
import type { NotificationState } from '@onair/core/notifications';
import type { ChatStoreLike } from '@onair/elements/components';
import type {
  ChatMessage,
  Notification,
  Poll,
  Question,
  QuestionSort,
  Stream,
} from '@onair/protocol';
import { HttpResponse, http } from 'msw';

/** Base URL the mocked REST API answers on (the Storybook origin). */
export const MOCK_BASE = typeof location === 'undefined' ? 'http://localhost' : location.origin;

/** A picture as a host app's token gives one (a data URL keeps the story offline). */
export const picture = (from: string, to: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs><rect width="48" height="48" fill="url(#g)"/><circle cx="24" cy="19" r="8" fill="#fff" opacity=".9"/><ellipse cx="24" cy="42" rx="15" ry="11" fill="#fff" opacity=".9"/></svg>`)}`;

/** A stream resource in a given state. */
export function mockStream(status: Stream['status'], id = 'str_story'): Stream {
  return {
    id,
    owner: { id: 'usr_host', displayName: 'Ada (host)' },
    title: 'Storybook stream',
    description: '',
    status,
    privacy: 'public',
    scheduledAt: null,
    startedAt: status === 'live' ? new Date().toISOString() : null,
    endedAt: null,
    createdAt: new Date().toISOString(),
    hlsUrl: status === 'live' ? `/hls/${id}/master.m3u8` : null,
    category: 'Software',
    tags: ['typescript'],
    thumbnailUrl: null,
    qualityPreset: '720p',
    recording: false,
    viewerLimit: null,
    chat: { enabled: true, mode: 'open', slowModeSeconds: 0, emoteOnly: false },
    reactionsEnabled: true,
    qnaEnabled: false,
    updatedAt: new Date().toISOString(),
    recordingUrl: null,
    viewerCount: status === 'live' ? 128 : null,
  };
}

/** msw handlers for one stream's REST resource. */
export function streamHandlers(
  stream: Stream,
  startError?: { code: string; message: string; status: number },
) {
  return [
    http.get(`${MOCK_BASE}/v1/streams/:id`, () => HttpResponse.json(stream)),
    http.post(`${MOCK_BASE}/v1/streams/:id/start`, () =>
      startError
        ? HttpResponse.json(
            { code: startError.code, message: startError.message },
            { status: startError.status },
          )
        : HttpResponse.json({ ...stream, status: 'live' }),
    ),
    http.get(`${MOCK_BASE}/hls/:id/:file`, () => new HttpResponse(null, { status: 404 })),
  ];
}

/** A few streams in every state, for lists and cards. */
export function mockStreams(): Stream[] {
  const now = Date.now();
  const titles = [
    'Morning jazz',
    'Rust office hours',
    'Speedrun any%',
    'Algebra week 3',
    'Pottery live',
  ];
  return titles.map((title, i) => ({
    ...mockStream(i < 3 ? 'live' : 'scheduled', `str_story${i}`),
    title,
    owner: {
      id: `usr_${i}`,
      displayName: ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken'][i] ?? 'Host',
    },
    category: ['Music', 'Software', 'Games', 'Education', 'Art'][i] ?? null,
    tags: i % 2 ? ['beginner'] : ['live', 'chill'],
    scheduledAt: i < 3 ? null : new Date(now + (i - 2) * 86_400_000).toISOString(),
  }));
}

/** msw handlers for `GET /v1/streams` (live and scheduled from {@link mockStreams}). */
export function listHandlers(streams = mockStreams()) {
  return [
    http.get(`${MOCK_BASE}/v1/streams`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      const status = query.get('status') ?? 'live';
      // Words as the server finds them, roughly: each one begins a word of the title or a tag.
      const words = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const found = (s: Stream) =>
        words.every((w) =>
          [...s.title.toLowerCase().split(/\W+/), ...s.tags].some((t) => t.startsWith(w)),
        );
      const items = streams.filter(
        (s) =>
          found(s) &&
          (status === 'live'
            ? s.status === 'live'
            : status === 'scheduled'
              ? s.status === 'scheduled'
              : false),
      );
      return HttpResponse.json({ items, nextCursor: null });
    }),
  ];
}

/** msw handlers for creating a stream (echoes the input, key `onair_sk_story…`). */
export function createHandlers() {
  return [
    http.post(`${MOCK_BASE}/v1/streams`, async ({ request }) => {
      const body = (await request.json()) as Partial<Stream>;
      if (body.scheduledAt && Date.parse(body.scheduledAt) < Date.now()) {
        return HttpResponse.json(
          {
            code: 'UNPROCESSABLE',
            message: 'scheduledAt: must be in the future',
            details: { issues: [{ path: 'scheduledAt', message: 'must be in the future' }] },
          },
          { status: 422 },
        );
      }
      return HttpResponse.json(
        {
          stream: { ...mockStream('scheduled'), ...body },
          streamKey: 'onair_sk_storybookExampleKey',
        },
        { status: 201 },
      );
    }),
  ];
}

/** msw handlers for the settings panel of one stream. */
export function settingsHandlers(stream: Stream) {
  let current = stream;
  return [
    http.get(`${MOCK_BASE}/v1/streams/:id`, () => HttpResponse.json(current)),
    http.patch(`${MOCK_BASE}/v1/streams/:id`, async ({ request }) => {
      const patch = (await request.json()) as Partial<Stream>;
      current = { ...current, ...patch, chat: { ...current.chat, ...patch.chat } };
      return HttpResponse.json(current);
    }),
    http.post(`${MOCK_BASE}/v1/streams/:id/key`, () =>
      HttpResponse.json({ streamKey: 'onair_sk_rotatedStoryKey' }),
    ),
    http.post(`${MOCK_BASE}/v1/streams/:id/cancel`, () => {
      current = { ...current, status: 'cancelled' };
      return HttpResponse.json(current);
    }),
  ];
}

/** A client pointed at the mocked API. */
export function mockClient(): OnAirClient {
  return new OnAirClient({ baseUrl: MOCK_BASE, token: 'storybook' });
}

const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara'];
const lines = [
  'Hello!',
  'Great stream 🎉',
  'Can you zoom in?',
  'Greetings from Lisbon',
  '+1',
  'What editor is that?',
  '@Ada can you share the repo? :wave:',
  'This is a longer message that wraps onto a second line in a narrow chat column, to show rows of different heights.',
];

/** `count` plausible chat messages. */
export function mockMessages(count: number, from = 0): ChatEntry[] {
  return Array.from({ length: count }, (_, n) => n + from).map((i) => ({
    id: `msg_${i}`,
    streamId: 'str_story',
    author: {
      id: `usr_${i % names.length}`,
      displayName: names[i % names.length] ?? 'Someone',
      badges:
        i % names.length === 0
          ? ['owner']
          : i % 4 === 1
            ? ['subscriber-2']
            : i % 7 === 3
              ? ['moderator']
              : [],
    },
    text: lines[i % lines.length] ?? '',
    createdAt: new Date(Date.now() - (count + from - i) * 1000).toISOString(),
    delivery: 'sent' as const,
  }));
}

/**
 * True in a driven browser (`pnpm test:stories`, which screenshots every story): the mocks'
 * open-ended timers then deliver everything at once, so a story draws the same every time.
 */
export const STILL = typeof navigator !== 'undefined' && navigator.webdriver;

/** A tiny in-memory store base with the subscribe/getSnapshot shape elements need. */
export class MockStore<T> {
  private readonly listeners = new Set<(s: T) => void>();
  constructor(protected state: T) {}
  subscribe = (listener: (s: T) => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.state;
  protected set(patch: Partial<T>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

/**
 * The ingest's health as the server reports it every 5 s while live, for
 * `<onair-broadcaster>`'s `healthStore`: a 720p camera at 30 fps, with
 * `score` and `issues` as given (the chip shows the level and the first).
 */
export class MockHealthStore extends MockStore<StreamHealthState> {
  constructor(score: number, issues: string[] = []) {
    super({
      health: {
        streamId: 'str_story',
        at: new Date().toISOString(),
        ingest: 'webrtc',
        bitrateKbps: score >= 80 ? 2480 : 640,
        frameRate: score >= 50 ? 30 : 12,
        width: 1280,
        height: 720,
        keyframeIntervalSeconds: 2,
        packetLoss: score >= 80 ? 0 : 0.04,
        jitterMs: 8,
        score,
        issues,
      },
      publisher: null,
      error: null,
    });
  }
}

/**
 * An in-memory chat store with the shape `<onair-chat>` needs. `failWith`
 * makes every send fail with that error code. `/slow 10` and other commands
 * answer with a notice.
 */
export class MockChatStore extends MockStore<ChatState> implements ChatStoreLike {
  constructor(
    initial: Partial<ChatState>,
    private readonly failWith?: OnAirError['code'],
  ) {
    super({
      status: 'joined',
      stream: null,
      messages: [],
      viewerCount: 0,
      restricted: null,
      cooldownUntil: null,
      notices: [],
      pinned: null,
      hasOlder: false,
      loadingOlder: false,
      error: null,
      ...initial,
    });
  }

  async send(text: string): Promise<ChatMessage | null> {
    if (text.trim().startsWith('/')) {
      this.set({ notices: [...this.state.notices, `Ran ${text.trim()} (Storybook)`] });
      return null;
    }
    const message: ChatEntry = {
      id: `msg_local_${Date.now()}`,
      streamId: 'str_story',
      author: { id: 'usr_me', displayName: 'You', badges: [] },
      text: text.trim(),
      createdAt: new Date().toISOString(),
      delivery: this.failWith ? 'failed' : 'sent',
    };
    this.set({ messages: [...this.state.messages, message] });
    if (this.failWith) {
      this.set({ cooldownUntil: Date.now() + 5000 });
      throw new OnAirError(this.failWith, 'You are sending messages too fast', {
        retryAfterSeconds: 5,
      });
    }
    return message;
  }

  /** Appends `count` messages, one every `everyMs`: a busy room. Stops by itself. */
  stream(count: number, everyMs: number): void {
    if (STILL) {
      this.set({
        messages: [...this.state.messages, ...mockMessages(count, this.state.messages.length)],
      });
      return;
    }
    let sent = 0;
    const timer = setInterval(() => {
      const [next] = mockMessages(1, this.state.messages.length);
      if (next) this.set({ messages: [...this.state.messages, next] });
      if (++sent >= count) clearInterval(timer);
    }, everyMs);
  }

  dismiss(id: string): void {
    this.set({ messages: this.state.messages.filter((m) => m.id !== id) });
  }

  async delete(id: string): Promise<void> {
    this.set({
      messages: this.state.messages.filter((m) => m.id !== id),
      pinned: this.state.pinned?.id === id ? null : this.state.pinned,
    });
  }

  async pin(id: string | null): Promise<void> {
    this.set({ pinned: id ? (this.state.messages.find((m) => m.id === id) ?? null) : null });
  }

  async timeout(userId: string): Promise<void> {
    this.set({ messages: this.state.messages.filter((m) => m.author.id !== userId) });
  }

  async ban(userId: string): Promise<void> {
    await this.timeout(userId);
  }
}

const EMOJI = ['❤️', '🎉', '🔥', '😂'];

/** Reactions arriving in bursts, bounded (stops by itself). */
export class MockReactionStore extends MockStore<ReactionState> {
  private seq = 0;
  constructor(bursts = 40) {
    super({ bursts: [], totals: {}, error: null });
    let left = bursts;
    if (STILL) {
      // The last few bursts, as if the story had run a while.
      for (left = Math.min(bursts, 8); left > 0; left--)
        this.push(EMOJI[left % 4] as string, 1 + (left % 5));
      return;
    }
    const timer = setInterval(() => {
      this.push(EMOJI[left % 4] as string, 1 + (left % 5));
      if (--left <= 0) clearInterval(timer);
    }, 350);
  }
  private push(emoji: string, count: number) {
    // Spread by the golden ratio: scattered, and the same on every run.
    const position = (++this.seq * 0.618) % 1;
    const burst = { emoji, count, positions: [position], seq: this.seq, at: Date.now() };
    this.set({
      bursts: [...this.state.bursts, burst].slice(-50),
      totals: { ...this.state.totals, [emoji]: (this.state.totals[emoji] ?? 0) + count },
    });
  }
  async send(emoji: string): Promise<void> {
    this.push(emoji, 1);
  }
}

const question = (id: string, text: string, upvotes: number, answered = false): Question => ({
  id,
  streamId: 'str_story',
  author: { id: `usr_${id}`, displayName: names[upvotes % names.length] ?? 'Someone' },
  text,
  upvotes,
  answered,
  hidden: false,
  createdAt: new Date(Date.now() - upvotes * 60_000).toISOString(),
});

/** A Q&A with a few questions: one answered in writing, one on air. */
export class MockQuestionStore extends MockStore<QuestionState> {
  /** `patch` replaces parts of the state: `{ closed: true }`, `{ questions: [] }`. */
  constructor(patch: Partial<QuestionState> = {}) {
    const onAir = { ...question('q2', 'How do you test the media path?', 7), answering: true };
    super({
      status: 'ready',
      sort: 'votes',
      myUpvotes: ['q2'],
      answering: onAir,
      closed: false,
      error: null,
      questions: [
        {
          ...question('q1', 'Will the recording be available?', 12, true),
          answer: {
            text: 'Yes: the replay is up an hour after the stream, with its chat.',
            by: { id: 'usr_host', displayName: 'Host' },
            at: new Date().toISOString(),
          },
        },
        onAir,
        question('q3', 'Which Node version do you target?', 3),
      ],
      ...patch,
    });
  }
  async setAnswering(id: string | null): Promise<void> {
    const questions = this.state.questions.map((q) => ({ ...q, answering: q.id === id }));
    this.set({ questions, answering: questions.find((q) => q.answering) ?? null });
  }
  async ask(text: string): Promise<Question> {
    const q = question(`q${Date.now()}`, text, 0);
    this.set({ questions: [...this.state.questions, q] });
    return q;
  }
  async upvote(id: string): Promise<Question> {
    const questions = this.state.questions.map((q) =>
      q.id === id ? { ...q, upvotes: q.upvotes + 1 } : q,
    );
    this.set({ questions, myUpvotes: [...this.state.myUpvotes, id] });
    return questions.find((q) => q.id === id) as Question;
  }
  async answer(id: string, answered = true, text = ''): Promise<Question> {
    const by = { id: 'usr_host', displayName: 'Host' };
    const answer = answered ? { text, by, at: new Date().toISOString() } : null;
    const questions = this.state.questions.map((q) =>
      q.id === id ? { ...q, answered, answer, answering: false } : q,
    );
    this.set({ questions, answering: questions.find((q) => q.answering) ?? null });
    return questions.find((q) => q.id === id) as Question;
  }
  async hide(id: string): Promise<void> {
    this.set({ questions: this.state.questions.filter((q) => q.id !== id) });
  }
  setSort(sort: QuestionSort): void {
    this.set({ sort });
  }
}

/** A poll, open or closed, with `voted` set to show results. */
export class MockPollStore extends MockStore<PollState> {
  constructor(options: { closed?: boolean; voted?: number } = {}) {
    const poll: Poll = {
      id: 'poll_story',
      streamId: 'str_story',
      question: 'What should we build next?',
      options: [
        { text: 'Replay chapters', votes: 41 },
        { text: 'Low-latency mode', votes: 67 },
        { text: 'Co-streaming', votes: 22 },
      ],
      totalVotes: 130,
      closed: options.closed ?? false,
      createdAt: new Date().toISOString(),
    };
    super({
      status: 'ready',
      polls: [poll],
      current: poll,
      myVotes: options.voted === undefined ? {} : { poll_story: options.voted },
      error: null,
    });
  }
  async create(text: string, options: string[]): Promise<Poll> {
    const poll: Poll = {
      id: `poll_${Date.now()}`,
      streamId: 'str_story',
      question: text,
      options: options.map((o) => ({ text: o, votes: 0 })),
      totalVotes: 0,
      closed: false,
      createdAt: new Date().toISOString(),
    };
    this.set({ polls: [poll, ...this.state.polls], current: poll });
    return poll;
  }
  async vote(pollId: string, option: number): Promise<Poll> {
    const poll = this.state.current as Poll;
    const next = {
      ...poll,
      totalVotes: poll.totalVotes + 1,
      options: poll.options.map((o, i) => (i === option ? { ...o, votes: o.votes + 1 } : o)),
    };
    this.set({
      current: next,
      polls: [next],
      myVotes: { ...this.state.myVotes, [pollId]: option },
    });
    return next;
  }
  async close(): Promise<Poll> {
    const next = { ...(this.state.current as Poll), closed: true };
    this.set({ current: next, polls: [next] });
    return next;
  }
}

/** Viewer counts with a viewer list. */
export class MockPresenceStore extends MockStore<PresenceState> {
  constructor(count = 1284) {
    super({
      count,
      signedIn: count - 300,
      anonymous: 300,
      peak: count + 211,
      viewers: null,
      ended: false,
      error: null,
    });
  }
  async loadViewers() {
    const viewers = {
      viewers: names.map((n, i) => ({ id: `usr_${i}`, displayName: n })),
      anonymous: 300,
    };
    this.set({ viewers });
    return viewers;
  }
}

/**
 * A player engine for `<onair-player>`'s `engine` property: the controls,
 * overlays, DVR bar and quality menu follow its state, with no server or
 * video. Seeking, volume, quality and "go to live" change the state as a
 * real player would.
 */
export class MockPlayer extends MockStore<PlayerState> implements PlayerControls {
  constructor(patch: Partial<PlayerState> = {}) {
    super({
      ...PLAYER_IDLE_STATE,
      status: 'playing',
      latency: 1.2,
      seekable: { start: 0, end: 120 },
      position: 118.8,
      atLiveEdge: true,
      volume: 0.8,
      mode: 'hls',
      levels: [240, 360, 480, 720].map((height, index) => ({
        index,
        height,
        bitrate: [400_000, 800_000, 1_400_000, 2_800_000][index] ?? null,
      })),
      level: 3,
      ...patch,
    });
  }
  async play() {
    this.set({ status: 'playing' });
  }
  pause() {
    this.set({ status: 'paused' });
  }
  mute() {
    this.set({ muted: true });
  }
  unmute() {
    this.set({ muted: false, autoplayBlocked: false });
  }
  setVolume(volume: number) {
    this.set({ volume, muted: volume === 0 });
  }
  async setLevel(index: number) {
    this.set({ autoLevel: index < 0, level: index < 0 ? this.state.level : index });
  }
  seek(position: number) {
    const end = this.state.seekable?.end ?? position;
    const latency = Math.round((end - position) * 10) / 10;
    this.set({ position, latency, atLiveEdge: latency < 3.5 });
  }
  goToLive() {
    this.seek((this.state.seekable?.end ?? 0) - 1.2);
  }
}

/** A painted test card as a MediaStream (a canvas capture): a camera for stories, no permission asked. */
function testCard(label: string): MediaStream | null {
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const context = canvas.getContext('2d');
  const paint = () => {
    if (!context) return;
    const gradient = context.createLinearGradient(0, 0, 640, 360);
    gradient.addColorStop(0, '#2b5876');
    gradient.addColorStop(1, '#4e4376');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 640, 360);
    context.fillStyle = '#fff';
    context.font = '28px system-ui, sans-serif';
    context.fillText(label, 32, 56);
    context.fillText(new Date().toLocaleTimeString(), 32, 320);
  };
  paint();
  setInterval(paint, 1000);
  return canvas.captureStream(5);
}

/**
 * A publishing engine for `<onair-broadcaster>`'s `engine` property: a
 * painted test card instead of the camera, and every control changing the
 * state as the real Publisher would (go live, mute, share, quality).
 */
export class MockPublisher extends MockStore<PublisherState> implements PublisherControls {
  constructor(patch: Partial<PublisherState> = {}) {
    const capturing = ['previewing', 'connecting', 'live', 'reconnecting'].includes(
      patch.status ?? 'idle',
    );
    super({
      ...PUBLISHER_IDLE_STATE,
      mediaStream: capturing ? testCard('FaceTime HD Camera') : null,
      cameras: [
        { deviceId: 'cam1', label: 'FaceTime HD Camera' },
        { deviceId: 'cam2', label: 'Desk camera' },
      ],
      microphones: [
        { deviceId: 'mic1', label: 'MacBook Pro Microphone' },
        { deviceId: 'mic2', label: 'USB headset' },
      ],
      cameraId: 'cam1',
      microphoneId: 'mic1',
      ...patch,
    });
  }
  async preview() {
    const mediaStream = this.state.mediaStream ?? testCard('FaceTime HD Camera');
    this.set({ status: 'previewing', mediaStream });
    return mediaStream as MediaStream;
  }
  async publish() {
    if (!this.state.mediaStream) await this.preview();
    this.set({ status: 'connecting' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    this.set({ status: 'live' });
  }
  async stop() {
    this.set({ status: 'ended', mediaStream: null });
  }
  async setCamera(deviceId: string) {
    const label = this.state.cameras.find((c) => c.deviceId === deviceId)?.label ?? deviceId;
    this.set({ cameraId: deviceId, mediaStream: testCard(label) });
  }
  async setMicrophone(deviceId: string) {
    this.set({ microphoneId: deviceId });
  }
  setAudioMuted(audioMuted: boolean) {
    this.set({ audioMuted });
  }
  setVideoMuted(videoMuted: boolean) {
    this.set({ videoMuted });
  }
  async startScreenShare(options: { withCamera?: boolean } = {}) {
    this.set({
      screenSharing: true,
      cameraOverScreen: options.withCamera ?? true,
      mediaStream: testCard('Shared screen'),
    });
  }
  async stopScreenShare() {
    this.set({
      screenSharing: false,
      cameraOverScreen: false,
      mediaStream: testCard('FaceTime HD Camera'),
    });
  }
  async setCameraOverScreen(on: boolean) {
    if (this.state.screenSharing) this.set({ cameraOverScreen: on });
  }
  async setQuality(quality: QualityName) {
    this.set({ quality });
  }
}

/** A bell's inbox: a go-live, a reminder and an older read one. */
export class MockNotificationStore extends MockStore<NotificationState> {
  constructor(options: { empty?: boolean } = {}) {
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const owner = { id: 'usr_ada', displayName: 'Ada' };
    const stream = (id: string, title: string, status: Stream['status']) => ({
      id,
      title,
      owner,
      status,
      scheduledAt: null,
    });
    const items: Notification[] = options.empty
      ? []
      : [
          {
            id: 'live-str_1',
            kind: 'live',
            stream: stream('str_1', 'Office hours', 'live'),
            createdAt: at(2),
            read: false,
          },
          {
            id: 'reminder-str_2',
            kind: 'reminder',
            stream: stream('str_2', 'Q&A night', 'scheduled'),
            createdAt: at(30),
            read: false,
          },
          {
            id: 'scheduled-str_3',
            kind: 'scheduled',
            stream: stream('str_3', 'Launch day', 'scheduled'),
            createdAt: at(600),
            read: true,
          },
        ];
    super({
      status: 'ready',
      items,
      unread: items.filter((n) => !n.read).length,
      hasMore: false,
      error: null,
    });
  }
  async markRead(ids?: readonly string[]): Promise<void> {
    const items = this.state.items.map((n) =>
      !ids || ids.includes(n.id) ? { ...n, read: true } : n,
    );
    this.set({ items, unread: items.filter((n) => !n.read).length });
  }
  async more(): Promise<void> {}
}

/** REST of a channel the story's user follows, at level `live`; follow and level changes answer. */
export function followHandlers(channelId: string) {
  let following = false;
  let followerCount = 41;
  return [
    http.get(`${MOCK_BASE}/v1/channels/:id`, () =>
      HttpResponse.json({
        id: channelId,
        displayName: 'Ada',
        avatarUrl: null,
        bannerUrl: null,
        description: '',
        emotes: [],
        followerCount,
        following,
      }),
    ),
    http.put(`${MOCK_BASE}/v1/channels/:id/follow`, () => {
      following = true;
      followerCount++;
      return HttpResponse.json({ channelId, following, followerCount });
    }),
    http.delete(`${MOCK_BASE}/v1/channels/:id/follow`, () => {
      following = false;
      followerCount--;
      return HttpResponse.json({ channelId, following, followerCount });
    }),
    http.get(`${MOCK_BASE}/v1/channels/:id/notifications`, () =>
      HttpResponse.json({ channelId, level: following ? 'live' : 'none' }),
    ),
    http.put(`${MOCK_BASE}/v1/channels/:id/notifications`, async ({ request }) =>
      HttpResponse.json({ channelId, level: ((await request.json()) as { level: string }).level }),
    ),
  ];
}
