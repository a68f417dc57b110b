import { ChatStore, type OnAirClient } from '@onair/core';
import { ReplayApi, type ReplayState } from '@onair/core/replay';
import type { Chapter, ReplayQuestion } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import '../player/onair-player.js';
import '../chat/onair-chat.js';
import type { OnAirChatElement } from '../chat/chat.component.js';
import type { OnAirPlayerElement } from '../player/player.component.js';
import { cleanedAfterEach, mount, publishing, signedInUser } from '../test-support.js';
import type { OnAirChapterButtonElement } from './chapter-button.component.js';
import type { OnAirChatReplayElement, ReplayStoreLike } from './chat-replay.component.js';
import './onair-chat-replay.js';

/*
 * <onair-chat-replay> and <onair-chapter-button> against the real server: a
 * stream recorded from Chromium's fake camera, chatted over and marked while
 * live, then replayed in <onair-player> with its chat following the video.
 */

const cleanup = cleanedAfterEach();
const shadow = (el: Element) => el.shadowRoot as ShadowRoot;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds of media the stream's HLS holds so far (its top rendition). */
async function recordedSeconds(streamId: string): Promise<number> {
  const master = await fetch(`/hls/${streamId}/master.m3u8`);
  if (master.status !== 200) return 0;
  const uri = (await master.text()).split('\n').find((line) => line.endsWith('.m3u8'));
  const media = await fetch(`/hls/${streamId}/${uri}`);
  if (media.status !== 200) return 0;
  return [...(await media.text()).matchAll(/#EXTINF:([\d.]+)/g)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** A chat store of `client` on the stream, joined, until the test ends. */
async function joinedChat(client: OnAirClient, streamId: string): Promise<ChatStore> {
  const chat = new ChatStore(client, streamId);
  cleanup.push(chat.subscribe(() => undefined));
  await expect.poll(() => chat.getSnapshot().status, { timeout: 10_000 }).toBe('joined');
  return chat;
}

/** Sets a chapter through the button: open, type, submit. */
async function addChapter(button: OnAirChapterButtonElement, title: string): Promise<void> {
  await expect.poll(() => shadow(button).querySelector('[part="button"]')).toBeTruthy();
  (shadow(button).querySelector('[part="button"]') as HTMLButtonElement).click();
  await expect.poll(() => shadow(button).activeElement?.getAttribute('part')).toBe('input');
  const input = shadow(button).querySelector('input') as HTMLInputElement;
  expect(input.maxLength).toBe(100);
  input.value = title;
  (shadow(button).querySelector('form') as HTMLFormElement).requestSubmit();
}

/** Moves the video and waits until it got there (hls.js loads the fragment first). */
async function seekVideo(video: HTMLVideoElement, time: number): Promise<void> {
  const seeked = new Promise((resolve) =>
    video.addEventListener('seeked', resolve, { once: true }),
  );
  video.currentTime = time;
  await seeked;
}

describe('<onair-chat-replay>', () => {
  it('replays a recorded stream’s chat and chapters with the player’s video', async () => {
    const host = await signedInUser('Replay host');
    const fan = await signedInUser('Replay fan');
    const { stream } = await host.client.streams.create({ title: 'Replayed', recording: true });
    await host.client.streams.start(stream.id);
    await publishing(host.client, stream.id, cleanup);
    await expect
      .poll(() => recordedSeconds(stream.id), { timeout: 30_000, interval: 500 })
      .toBeGreaterThanOrEqual(3);

    const chat = await joinedChat(fan.client, stream.id);
    await chat.send('first');
    await sleep(2500);

    // The owner sets a chapter between the two messages; a viewer may not.
    const page = mount(`
      <onair-chapter-button id="owner"></onair-chapter-button>
      <onair-chapter-button id="fan"></onair-chapter-button>`);
    const owners = page.querySelector('#owner') as OnAirChapterButtonElement;
    const fans = page.querySelector('#fan') as OnAirChapterButtonElement;
    Object.assign(owners, { client: host.client, streamId: stream.id });
    Object.assign(fans, { client: fan.client, streamId: stream.id });
    const created = new Promise<CustomEvent<{ chapter: Chapter }>>((resolve) =>
      page.addEventListener('onair-chapter-created', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    await addChapter(owners, '  The middle  ');
    const { detail, composed } = await created;
    expect(composed).toBe(true);
    expect(detail.chapter.title).toBe('The middle');
    await expect
      .poll(() => shadow(owners).querySelector('[part="status"]')?.textContent)
      .toBe('Chapter added: The middle');
    await addChapter(fans, 'Mine');
    await expect
      .poll(() => shadow(fans).querySelector('[part="error"]')?.getAttribute('data-code'))
      .toBe('FORBIDDEN');
    expect(shadow(fans).querySelector('[part="error"]')?.textContent).toBe(
      "Only the stream's owner and moderators can add chapters",
    );
    page.remove();

    await sleep(2500);
    await chat.send('second');
    const sentAt = await recordedSeconds(stream.id);
    await expect
      .poll(() => recordedSeconds(stream.id), { timeout: 20_000, interval: 500 })
      .toBeGreaterThanOrEqual(sentAt + 4);
    await host.client.streams.end(stream.id);
    await expect
      .poll(async () => (await host.client.streams.get(stream.id)).recordingUrl, {
        timeout: 30_000,
        interval: 500,
      })
      .not.toBeNull();

    const { messages } = await new ReplayApi(fan.client).window(stream.id, 0, 300);
    expect(messages.map((m) => m.text)).toEqual(['first', 'second']);
    const [first, second] = messages.map((m) => m.offsetSeconds) as [number, number];
    const [chapter] = await new ReplayApi(fan.client).chapters(stream.id);
    const chapterAt = chapter?.offsetSeconds ?? 0;
    expect(chapterAt).toBeGreaterThan(first);
    expect(chapterAt).toBeLessThan(second);

    const viewer = mount(`
      <onair-player id="vod" muted></onair-player>
      <onair-chat-replay for="vod"></onair-chat-replay>
      <onair-chat replay for="vod"></onair-chat>`);
    const player = viewer.querySelector('onair-player') as OnAirPlayerElement;
    const replay = viewer.querySelector('onair-chat-replay') as OnAirChatReplayElement;
    const sideChat = viewer.querySelector('onair-chat') as OnAirChatElement;
    for (const element of [player, replay, sideChat]) {
      Object.assign(element, { client: fan.client, streamId: stream.id });
    }
    await expect.poll(() => player.dataset.phase, { timeout: 15_000 }).toBe('replay');
    await expect.poll(() => player.player?.getSnapshot().duration ?? 0).toBeGreaterThan(second);
    const video = shadow(player).querySelector('video') as HTMLVideoElement;
    const log = () => shadow(replay).querySelector('[part="messages"]') as HTMLElement;
    const texts = () => [...log().querySelectorAll('li[data-id] .text')].map((t) => t.textContent);
    // A list that announces what is added (role="log" would hide that it is a list).
    expect(log().tagName).toBe('OL');
    expect(log().getAttribute('aria-live')).toBe('polite');

    await seekVideo(video, Math.max(0, first - 1));
    await expect.poll(() => replay.dataset.status).toBe('ready');
    expect(replay.dataset.count).toBe('0');
    expect(log().querySelector('.empty')?.textContent).toBe(
      'No chat yet at this point of the replay',
    );

    await seekVideo(video, (first + chapterAt) / 2);
    await expect.poll(texts).toEqual(['first']);
    expect(log().querySelector('li[data-id] .author')?.textContent).toBe('Replay fan');
    expect(log().querySelector('li[data-id] time')?.textContent).toMatch(/^0:\d\d$/);
    const chapterButton = () =>
      shadow(replay).querySelector('[part="chapter"]') as HTMLButtonElement | null;
    await expect.poll(() => chapterButton()?.textContent).toMatch(/^0:\d\dThe middle$/);
    expect(chapterButton()?.hasAttribute('aria-current')).toBe(false);

    await seekVideo(video, (player.player?.getSnapshot().duration ?? 0) - 0.5);
    await expect.poll(texts).toEqual(['first', 'second']);
    expect(replay.dataset.count).toBe('2');
    // <onair-chat replay> beside the player follows its video the same (its `for` found from
    // inside the chat's shadow root).
    const inChat = () => shadow(sideChat).querySelector('onair-chat-replay') as Element;
    await expect
      .poll(() =>
        [...(shadow(inChat())?.querySelectorAll('li[data-id] .text') ?? [])].map(
          (t) => t.textContent,
        ),
      )
      .toEqual(['first', 'second']);
    expect(chapterButton()?.getAttribute('aria-current')).toBe('true');
    expect(shadow(replay).querySelector('[part="header"]')?.textContent).toContain('The middle');

    // The chapter's button takes the video to the chapter.
    const arrived = new Promise((resolve) =>
      video.addEventListener('seeked', resolve, { once: true }),
    );
    chapterButton()?.click();
    await arrived;
    expect(Math.abs(video.currentTime - chapterAt)).toBeLessThan(0.5);
    await expect.poll(texts).toEqual(['first']);
    expect(chapterButton()?.getAttribute('aria-current')).toBe('true');
  }, 120_000);

  it('says a stream without a recording has none, in the page’s language', async () => {
    const host = await signedInUser('Unrecorded host');
    const { stream } = await host.client.streams.create({ title: 'Not recorded' });
    await host.client.streams.start(stream.id);
    await host.client.streams.end(stream.id);
    const page = mount(`
      <onair-chat-replay></onair-chat-replay>
      <div lang="es"><onair-chat-replay></onair-chat-replay></div>`);
    const [english, spanish] = [...page.querySelectorAll('onair-chat-replay')];
    for (const element of [english, spanish]) {
      Object.assign(element as OnAirChatReplayElement, {
        client: host.client,
        streamId: stream.id,
      });
    }
    const error = (el: Element | undefined) =>
      (el as Element).shadowRoot?.querySelector('[part="error"]');
    await expect.poll(() => error(english)?.textContent).toBe('This stream has no recording');
    expect(error(english)?.getAttribute('role')).toBe('alert');
    expect(error(english)?.getAttribute('data-code')).toBe('STREAM_NOT_LIVE');
    expect((english as HTMLElement).dataset.status).toBe('error');
    expect(error(english)?.parentNode?.querySelector('[part="messages"]')).toBeNull();
    await expect.poll(() => error(spanish)?.textContent).toBe('Esta emisión no tiene grabación');

    // The chapter button stays away from a stream that is not live.
    const button = mount('<onair-chapter-button></onair-chapter-button>').querySelector(
      'onair-chapter-button',
    ) as OnAirChapterButtonElement;
    Object.assign(button, { client: host.client, streamId: stream.id });
    await sleep(300);
    expect(shadow(button).querySelector('[part="button"]')).toBeNull();
  });
});

/** A store whose state the test sets, recording which media it follows. */
class StoreStub implements ReplayStoreLike {
  attached: HTMLMediaElement[] = [];
  seeks: number[] = [];
  private listeners = new Set<(state: ReplayState) => void>();
  constructor(private state: ReplayState) {}
  subscribe = (listener: (state: ReplayState) => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.state;
  set(patch: Partial<ReplayState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
  attach(media: HTMLMediaElement) {
    this.attached.push(media);
    return () => {
      this.attached = this.attached.filter((m) => m !== media);
    };
  }
  seek(time: number) {
    this.seeks.push(time);
  }
}

const user = { id: 'usr_fan', displayName: 'Fan' };
const at = new Date().toISOString();
const question: ReplayQuestion = {
  id: 'q1',
  streamId: 'str_1',
  author: user,
  text: 'Who scores?',
  upvotes: 0,
  answered: true,
  answer: { text: 'Number 9', by: { id: 'usr_host', displayName: 'Host' }, at },
  answering: false,
  hidden: false,
  createdAt: at,
  offsetSeconds: 7,
  answerOffsetSeconds: 9,
};

describe('<onair-chat-replay> with a store of its own', () => {
  it('follows `media` over `for`, shows questions among messages and the minute’s reactions', async () => {
    const store = new StoreStub({
      status: 'ready',
      time: 10,
      messages: [
        {
          id: 'm1',
          streamId: 'str_1',
          author: { ...user, badges: ['moderator'] },
          text: 'hi @Host',
          createdAt: at,
          offsetSeconds: 5,
        },
        {
          id: 'm2',
          streamId: 'str_1',
          author: { ...user, badges: [] },
          text: 'goal',
          createdAt: at,
          offsetSeconds: 8,
        },
      ],
      questions: [question],
      reactions: [{ emoji: '🔥', count: 60, offsetSeconds: 0, spanSeconds: 60 }],
      chapters: [{ id: 'mrk_1', title: 'Kick-off', offsetSeconds: 65, createdBy: user, at }],
      chapter: null,
      error: null,
    });
    const page = mount(`
      <video id="plain"></video>
      <onair-chat-replay for="plain"></onair-chat-replay>`);
    const replay = page.querySelector('onair-chat-replay') as OnAirChatReplayElement;
    replay.store = store;
    const plain = page.querySelector('video') as HTMLVideoElement;
    await expect.poll(() => store.attached).toEqual([plain]);
    expect(replay.hasAttribute('data-paused')).toBe(true);

    const items = [...shadow(replay).querySelectorAll('[part="messages"] > li')];
    expect(items.map((li) => li.getAttribute('data-id'))).toEqual(['m1', 'q1', 'm2']);
    const card = items[1] as HTMLElement;
    expect(card.getAttribute('part')).toBe('question');
    expect(card.querySelector('strong')?.textContent).toBe('Question· Answered');
    expect(card.querySelector('[part="answer"]')?.textContent).toBe('Host Number 9');
    expect(items[0]?.querySelector('.badge')?.getAttribute('aria-label')).toBe('Moderator');
    expect(items[0]?.querySelector('mark.mention')?.textContent).toBe('@Host');

    // 60 🔥 over the minute: one a second, those of the last 2.4 s rising at 10 s.
    const floats = () => shadow(replay).querySelectorAll('[part="reactions"] .float');
    expect(floats().length).toBe(2);
    expect(shadow(replay).querySelector('.counts')?.textContent).toBe('🔥 60');
    store.set({ reactions: [] });
    await expect.poll(() => floats().length).toBe(0);
    expect(shadow(replay).querySelector('.counts')).toBeNull();

    // `media` wins over `for`; the chapter seeks it and the store.
    const other = document.createElement('video');
    replay.media = other;
    await expect.poll(() => store.attached).toEqual([other]);
    (shadow(replay).querySelector('[part="chapter"]') as HTMLButtonElement).click();
    expect(other.currentTime).toBe(65);
    expect(store.seeks).toEqual([65]);

    // Removed, it follows nothing; back, it follows again.
    replay.remove();
    expect(store.attached).toEqual([]);
    page.append(replay);
    expect(store.attached).toEqual([other]);
  });

  it('loads the channel’s emotes through `client` unless given, once per stream', async () => {
    const message = { id: 'm1', streamId: 'str_1', createdAt: at, offsetSeconds: 5 };
    const store = new StoreStub({
      ...{ status: 'ready', time: 10, questions: [], reactions: [], chapters: [] },
      messages: [{ ...message, author: { ...user, badges: [] }, text: 'hi :wave:' }],
      chapter: null,
      error: null,
    });
    const asked: string[] = [];
    const client = {
      streams: {
        get: async (id: string) => {
          asked.push(id);
          return { id, owner: { id: `usr_of_${id}` } };
        },
      },
      channels: {
        get: async (id: string) => {
          asked.push(id);
          return { id, emotes: [{ code: 'wave', url: 'https://cdn.example.com/wave.png' }] };
        },
      },
    } as unknown as OnAirClient;
    const replay = mount('<onair-chat-replay></onair-chat-replay>').querySelector(
      'onair-chat-replay',
    ) as OnAirChatReplayElement;
    Object.assign(replay, { store, client, streamId: 'str_1' });
    const emote = () => shadow(replay).querySelector('li[data-id="m1"] img.emote');
    await expect.poll(() => emote()?.getAttribute('alt')).toBe(':wave:');
    expect(emote()?.getAttribute('src')).toBe('https://cdn.example.com/wave.png');
    // Playback updates ask nothing more.
    store.set({ time: 11 });
    await replay.updateComplete;
    expect(asked).toEqual(['str_1', 'usr_of_str_1']);
    // Given emotes win.
    replay.emotes = [{ code: 'wave', url: 'https://cdn.example.com/other.png' }];
    await expect.poll(() => emote()?.getAttribute('src')).toBe('https://cdn.example.com/other.png');
  });

  it('keeps the log where the reader scrolled, and follows the newest again on "Jump to latest"', async () => {
    const entry = (i: number) => ({
      id: `m${i}`,
      streamId: 'str_1',
      author: { ...user, badges: [] },
      text: `line ${i}`,
      createdAt: at,
      offsetSeconds: i,
    });
    const store = new StoreStub({
      status: 'ready',
      time: 40,
      messages: Array.from({ length: 40 }, (_, i) => entry(i)),
      questions: [],
      reactions: [],
      chapters: [],
      chapter: null,
      error: null,
    });
    const replay = mount('<onair-chat-replay></onair-chat-replay>').querySelector(
      'onair-chat-replay',
    ) as OnAirChatReplayElement;
    replay.store = store;
    await replay.updateComplete;
    const log = shadow(replay).querySelector('[part="messages"]') as HTMLElement;
    const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    expect(log.scrollHeight).toBeGreaterThan(log.clientHeight);
    expect(atEnd()).toBe(true);

    log.scrollTop = 0;
    await expect.poll(() => shadow(replay).querySelector('.jump')).toBeTruthy();
    store.set({ messages: Array.from({ length: 45 }, (_, i) => entry(i)) });
    await replay.updateComplete;
    expect(log.scrollTop).toBe(0);

    (shadow(replay).querySelector('.jump') as HTMLButtonElement).click();
    await expect.poll(atEnd).toBe(true);
    expect(shadow(replay).querySelector('.jump')).toBeNull();
  });
});
