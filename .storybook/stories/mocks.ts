import { type ChatEntry, type ChatState, OnAirClient, OnAirError } from '@onair/core';
import type { ChatStoreLike } from '@onair/elements/components';
import type { ChatMessage, Stream } from '@onair/protocol';
import { HttpResponse, http } from 'msw';

/** Base URL the mocked REST API answers on (the Storybook origin). */
export const MOCK_BASE = typeof location === 'undefined' ? 'http://localhost' : location.origin;

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
      const status = new URL(request.url).searchParams.get('status') ?? 'live';
      const items = streams.filter((s) =>
        status === 'live'
          ? s.status === 'live'
          : status === 'scheduled'
            ? s.status === 'scheduled'
            : false,
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
];

/** `count` plausible chat messages. */
export function mockMessages(count: number): ChatEntry[] {
  return Array.from({ length: count }, (_, i) => ({
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
    createdAt: new Date(Date.now() - (count - i) * 1000).toISOString(),
    delivery: 'sent',
  }));
}

/**
 * An in-memory chat store with the shape `<onair-chat>` needs. `failWith`
 * makes every send fail with that error code.
 */
export class MockChatStore implements ChatStoreLike {
  private state: ChatState;
  private readonly listeners = new Set<(s: ChatState) => void>();

  constructor(
    initial: Partial<ChatState>,
    private readonly failWith?: OnAirError['code'],
  ) {
    this.state = {
      status: 'joined',
      stream: null,
      messages: [],
      viewerCount: 0,
      error: null,
      ...initial,
    } as ChatState;
  }

  subscribe = (listener: (s: ChatState) => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.state;

  async send(text: string): Promise<ChatMessage> {
    const message: ChatEntry = {
      id: `msg_local_${Date.now()}`,
      streamId: 'str_story',
      author: { id: 'usr_me', displayName: 'You', badges: [] },
      text: text.trim(),
      createdAt: new Date().toISOString(),
      delivery: this.failWith ? 'failed' : 'sent',
    };
    this.set({ messages: [...this.state.messages, message] });
    if (this.failWith) throw new OnAirError(this.failWith, 'You are sending messages too fast');
    return message;
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

  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}
