import type { ChatEntry, ChatState } from '@onair/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-chat.js';
import '../chat-replay/onair-chat-replay.js';
import '../translations/es.js';
import type { OnAirChatElement } from './chat.component.js';

const shadow = (el: OnAirChatElement) => el.shadowRoot as ShadowRoot;

afterEach(() => {
  document.body.innerHTML = '';
});

async function mountedChat(html = '<onair-chat></onair-chat>') {
  const client = await signedInClient('Chatter');
  const stream = await createStream(client, true);
  const chat = mount(html).querySelector('onair-chat') as OnAirChatElement;
  chat.client = client;
  chat.streamId = stream.id;
  await expect.poll(() => chat.dataset.status, { timeout: 10_000 }).toBe('joined');
  return { chat, client, stream };
}

function submit(chat: OnAirChatElement, text: string) {
  const input = shadow(chat).querySelector('input') as HTMLInputElement;
  input.value = text;
  (shadow(chat).querySelector('form') as HTMLFormElement).requestSubmit();
}

describe('<onair-chat>', () => {
  it('joins, shows the viewer count and sends a message that the server confirms', async () => {
    const { chat } = await mountedChat();
    await expect
      .poll(() => shadow(chat).querySelector('header span')?.textContent)
      // The chat's user owns the stream: a broadcaster is no viewer.
      .toBe('0 watching');
    const sent = new Promise<CustomEvent>((resolve) =>
      chat.addEventListener('onair-chat-sent', (e) => resolve(e as CustomEvent), { once: true }),
    );
    submit(chat, 'hello element');
    const event = await sent;
    expect(event.detail.message.text).toBe('hello element');
    expect(event.composed && event.bubbles).toBe(true);
    await expect
      .poll(() => shadow(chat).querySelector('li[data-delivery="sent"] .text')?.textContent)
      .toBe('hello element');
    expect(shadow(chat).querySelector('li .author')?.textContent).toBe('Chatter');
    // No picture in the dev token: the initials, and when it was sent.
    expect(shadow(chat).querySelector('li .avatar')?.textContent).toBe('C');
    expect(shadow(chat).querySelector('li time')?.textContent).toBe('now');
    // Chatter created the stream: the owner badge, labelled for screen readers.
    expect(shadow(chat).querySelector('li .badge')?.getAttribute('aria-label')).toBe('Streamer');
  });

  it('shows a typed error and marks the message failed when the server refuses it', async () => {
    const { chat } = await mountedChat();
    const failed = new Promise<CustomEvent>((resolve) =>
      chat.addEventListener('onair-chat-error', (e) => resolve(e as CustomEvent), { once: true }),
    );
    submit(chat, 'x'.repeat(501));
    expect((await failed).detail.error.code).toBe('VALIDATION_FAILED');
    await expect
      .poll(() => shadow(chat).querySelector('[role="alert"]')?.getAttribute('data-code'))
      .toBe('VALIDATION_FAILED');
    expect(shadow(chat).querySelector('li[data-delivery="failed"]')).not.toBeNull();
  });

  it('does not send blank messages and is labelled for assistive technology', async () => {
    const { chat } = await mountedChat();
    submit(chat, '   ');
    await new Promise((r) => setTimeout(r, 200));
    expect(shadow(chat).querySelectorAll('li[data-delivery]').length).toBe(0);
    expect(shadow(chat).querySelector('input')?.getAttribute('aria-label')).toBe('Say something…');
    expect(shadow(chat).querySelector('ol')?.getAttribute('aria-label')).toBe('Chat');
  });

  it('speaks Spanish under lang="es"', async () => {
    const { chat } = await mountedChat('<div lang="es"><onair-chat readonly></onair-chat></div>');
    await expect
      .poll(() => shadow(chat).querySelector('.empty')?.textContent)
      .toBe('Aún no hay mensajes');
    expect(shadow(chat).querySelector('form')).toBeNull();
  });
});

describe('<onair-chat> moderation', () => {
  it('lets a moderator pin and delete; every viewer sees the pin and the removal', async () => {
    const { chat: hostChat, client } = await mountedChat('<onair-chat can-moderate></onair-chat>');
    const viewerClient = await signedInClient('Watcher');
    const viewerChat = mount('<onair-chat></onair-chat>').querySelector(
      'onair-chat',
    ) as OnAirChatElement;
    viewerChat.client = viewerClient;
    viewerChat.streamId = hostChat.streamId;
    await expect.poll(() => viewerChat.dataset.status, { timeout: 10_000 }).toBe('joined');
    submit(viewerChat, 'worth pinning');
    const row = () =>
      [...shadow(hostChat).querySelectorAll('li[data-delivery="sent"]')].find((li) =>
        li.textContent?.includes('worth pinning'),
      ) as HTMLElement | undefined;
    await expect.poll(() => row() !== undefined, { timeout: 10_000 }).toBe(true);
    expect(shadow(viewerChat).querySelector('details.menu')).toBeNull();
    expect(row()?.querySelector('details.menu summary')?.getAttribute('aria-label')).toBe(
      'Message actions for Watcher',
    );

    const pinButton = [...(row()?.querySelectorAll('button') ?? [])].find(
      (b) => b.textContent?.trim() === 'Pin',
    );
    pinButton?.click();
    await expect
      .poll(() => shadow(viewerChat).querySelector('.pinned .text')?.textContent)
      .toBe('worth pinning');

    const deleteButton = [...(row()?.querySelectorAll('button') ?? [])].find(
      (b) => b.textContent?.trim() === 'Delete',
    );
    deleteButton?.click();
    await expect
      .poll(() => [...shadow(viewerChat).querySelectorAll('li .text')].map((t) => t.textContent))
      .not.toContain('worth pinning');
    await expect.poll(() => shadow(viewerChat).querySelector('.pinned')).toBeNull();
    expect(client).toBeDefined();
  });
});

describe('<onair-chat> at scale and with rich text', () => {
  function mockStore(messages: ChatEntry[], patch: Partial<ChatState> = {}) {
    let state: ChatState = {
      status: 'joined',
      stream: null,
      messages,
      viewerCount: 1200,
      restricted: null,
      cooldownUntil: null,
      notices: [],
      pinned: null,
      hasOlder: false,
      loadingOlder: false,
      error: null,
      ...patch,
    };
    const listeners = new Set<(s: ChatState) => void>();
    return {
      subscribe(listener: (s: ChatState) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      getSnapshot: () => state,
      set(next: Partial<ChatState>) {
        state = { ...state, ...next };
        for (const l of listeners) l(state);
      },
      send: async () => null,
      dismiss() {},
    };
  }
  const entry = (i: number, text = `message number ${i}`): ChatEntry => ({
    id: `msg_${i}`,
    streamId: 'str_1',
    author: { id: `usr_${i % 50}`, displayName: `Viewer ${i % 50}`, badges: [] },
    text,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    delivery: 'sent',
  });

  it('renders only the rows in view of 10,000 messages and follows new ones', async () => {
    const store = mockStore(Array.from({ length: 10_000 }, (_, i) => entry(i)));
    const chat = mount('<onair-chat></onair-chat>').querySelector('onair-chat') as OnAirChatElement;
    chat.store = store;
    await chat.updateComplete;
    const rows = () => shadow(chat).querySelectorAll('li[data-id]');
    await expect.poll(() => rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(80);
    await expect.poll(() => rows()[rows().length - 1]?.getAttribute('data-id')).toBe('msg_9999');

    store.set({ messages: [...store.getSnapshot().messages, entry(10_000, 'fresh one')] });
    await expect.poll(() => rows()[rows().length - 1]?.getAttribute('data-id')).toBe('msg_10000');

    // Scroll to the top: the first messages render, the newest ones do not.
    const list = shadow(chat).querySelector('ol') as HTMLOListElement;
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    await expect.poll(() => rows()[0]?.getAttribute('data-id')).toBe('msg_0');
    expect(rows().length).toBeLessThan(80);
    store.set({ messages: [...store.getSnapshot().messages, entry(10_001)] });
    await expect.poll(() => shadow(chat).querySelector('.jump')?.textContent).toContain('(1)');
    (shadow(chat).querySelector('.jump') as HTMLButtonElement).click();
    await expect.poll(() => rows()[rows().length - 1]?.getAttribute('data-id')).toBe('msg_10001');
  });

  it('shows avatars, how long ago each message was sent, and groups an author’s messages', async () => {
    const now = Date.UTC(2026, 5, 1, 12);
    vi.useFakeTimers({ now, toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
      const ana = { id: 'usr_ana', displayName: 'ana de la Cruz', badges: [] };
      const bob = {
        id: 'usr_bob',
        displayName: 'Bob',
        avatarUrl: 'https://cdn.example.com/bob.png',
        badges: ['moderator' as const],
      };
      const message = (id: string, author: ChatEntry['author'], secondsAgo: number) => ({
        id,
        streamId: 'str_1',
        author,
        text: `text of ${id}`,
        createdAt: at(secondsAgo),
        delivery: 'sent' as const,
      });
      const chat = mount('<onair-chat></onair-chat>').querySelector(
        'onair-chat',
      ) as OnAirChatElement;
      chat.store = mockStore([
        message('msg_a1', ana, 3 * 3600),
        message('msg_a2', ana, 3 * 3600 - 240), // 4 min later: grouped
        // 4 min after msg_a2 but 8 after its group's first (the time shown): a new group.
        message('msg_a2b', ana, 3 * 3600 - 480),
        message('msg_a3', ana, 7200), // 56 min later: not grouped
        message('msg_b1', bob, 300),
        message('msg_a4', ana, 30), // another author in between: not grouped
      ]);
      await chat.updateComplete;
      await chat.updateComplete;
      const row = (id: string) => shadow(chat).querySelector(`li[data-id="${id}"]`) as HTMLElement;
      const grouped = ['msg_a1', 'msg_a2', 'msg_a2b', 'msg_a3', 'msg_b1', 'msg_a4'].map((id) =>
        row(id).hasAttribute('data-grouped'),
      );
      expect(grouped).toEqual([false, true, false, false, false, false]);
      // A grouped message shows no second avatar, badge or time; its author stays for screen readers.
      expect(row('msg_a2').querySelector('.avatar, .badge, time')).toBeNull();
      expect(row('msg_a2').querySelector('.visually-hidden')?.textContent).toBe('ana de la Cruz');
      // Its text lines up with the name above it, right of the avatar.
      const left = (id: string, part: string) =>
        row(id).querySelector(part)?.getBoundingClientRect().left;
      expect(left('msg_a2', '.text')).toBe(left('msg_a1', '.author'));
      expect(left('msg_a1', '.author')).toBeGreaterThanOrEqual(
        (row('msg_a1').querySelector('.avatar')?.getBoundingClientRect().right ?? 0) + 4,
      );
      // Initials on a colour of the author's own (the same in each row), or the picture over them.
      const avatar = (id: string) => row(id).querySelector('.avatar') as HTMLElement;
      expect(avatar('msg_a1').textContent).toBe('AD');
      expect(avatar('msg_a1').getAttribute('aria-hidden')).toBe('true');
      expect(avatar('msg_a1').style.background).toBe(avatar('msg_a3').style.background);
      expect(avatar('msg_a1').style.background).not.toBe(avatar('msg_b1').style.background);
      expect(avatar('msg_b1').querySelector('img')?.getAttribute('src')).toBe(
        'https://cdn.example.com/bob.png',
      );
      expect(avatar('msg_a1').querySelector('img')).toBeNull();
      // How long ago, with the exact date and time on hover.
      const time = (id: string) => row(id).querySelector('time') as HTMLTimeElement;
      expect(['msg_a1', 'msg_a3', 'msg_b1', 'msg_a4'].map((id) => time(id).textContent)).toEqual([
        '3 hr. ago',
        '2 hr. ago',
        '5 min. ago',
        'now',
      ]);
      expect(time('msg_b1').dateTime).toBe(at(300));
      expect(time('msg_b1').title).toBe(
        new Intl.DateTimeFormat('en', {
          weekday: 'short',
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
        }).format(now - 300_000),
      );
      // The times move on while the chat is open.
      vi.advanceTimersByTime(30_000);
      await chat.updateComplete;
      expect(time('msg_a4').textContent).toBe('1 min. ago');
    } finally {
      vi.useRealTimers();
    }
  });

  it('groups a long run of one author the same wherever the list is scrolled', async () => {
    // One author, a message a minute: a group of five, its first showing the time.
    const bot = { id: 'usr_bot', displayName: 'Bot', badges: [] };
    const messages = Array.from({ length: 400 }, (_, i) => ({
      ...entry(i),
      author: bot,
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    }));
    const chat = mount('<onair-chat></onair-chat>').querySelector('onair-chat') as OnAirChatElement;
    chat.store = mockStore(messages);
    await chat.updateComplete;
    const rows = () => [...shadow(chat).querySelectorAll<HTMLElement>('li[data-id]')];
    await expect.poll(() => rows().length).toBeGreaterThan(5);
    const list = shadow(chat).querySelector('ol') as HTMLOListElement;
    const index = (row: HTMLElement | undefined) => Number(row?.dataset.id?.slice(4));
    // Scrolled into the run: the first row drawn is, at some places, inside a group.
    const firsts = new Set<number>();
    for (const fraction of [0.3, 0.305, 0.31, 0.315, 0.5]) {
      const before = index(rows()[0]);
      list.scrollTop = list.scrollHeight * fraction;
      list.dispatchEvent(new Event('scroll'));
      await expect.poll(() => index(rows()[0])).not.toBe(before);
      firsts.add(index(rows()[0]));
      for (const row of rows()) {
        expect(row.hasAttribute('data-grouped'), row.dataset.id).toBe(index(row) % 5 !== 0);
      }
    }
    expect([...firsts].some((i) => i % 5 !== 0)).toBe(true);
  });

  it('formats times in English under a lang that names no locale ("", en_US)', async () => {
    for (const lang of ['', 'en_US']) {
      const chat = mount(`<div lang="${lang}"><onair-chat></onair-chat></div>`).querySelector(
        'onair-chat',
      ) as OnAirChatElement;
      chat.store = mockStore([entry(1)]);
      await chat.updateComplete;
      const time = shadow(chat).querySelector('li[data-id="msg_1"] time') as HTMLTimeElement;
      expect(time.textContent, lang).toMatch(/ago$/);
      expect(time.title, lang).toMatch(/^\w{3}, \w{3} \d+, /);
    }
  });

  it('renders channel emotes as images and highlights mentions of the viewer', async () => {
    const store = mockStore([entry(1, 'hi @Ana and @Bob :wave: :unknown:')]);
    const chat = mount('<onair-chat viewer-name="Ana"></onair-chat>').querySelector(
      'onair-chat',
    ) as OnAirChatElement;
    chat.emotes = [{ code: 'wave', url: 'https://cdn.example.com/wave.png' }];
    chat.store = store;
    const row = () => shadow(chat).querySelector('li[data-id="msg_1"]');
    await expect.poll(() => row()?.querySelector('img.emote')?.getAttribute('alt')).toBe(':wave:');
    expect(row()?.hasAttribute('data-mention')).toBe(true);
    expect(
      [...(row()?.querySelectorAll('mark.mention') ?? [])].map((m) => m.hasAttribute('data-mine')),
    ).toEqual([true, false]);
    expect(row()?.querySelector('.text')?.textContent).toContain(':unknown:');
    // The picker inserts emotes and emoji into the composer.
    (shadow(chat).querySelector('.picker-toggle') as HTMLButtonElement).click();
    await chat.updateComplete;
    (shadow(chat).querySelector('.picker button') as HTMLButtonElement).click();
    expect((shadow(chat).querySelector('input') as HTMLInputElement).value).toBe(':wave: ');
  });

  it('counts down slow mode and explains a timeout', async () => {
    const store = mockStore([], { cooldownUntil: Date.now() + 3_000 });
    const chat = mount('<onair-chat></onair-chat>').querySelector('onair-chat') as OnAirChatElement;
    chat.store = store;
    await expect
      .poll(() => shadow(chat).querySelector('.cooldown')?.getAttribute('data-seconds'))
      .toBe('3');
    expect(
      (shadow(chat).querySelector('button[type="submit"]') as HTMLButtonElement).disabled,
    ).toBe(true);
    await expect
      .poll(() => shadow(chat).querySelector('.cooldown')?.getAttribute('data-seconds'), {
        timeout: 3000,
      })
      .toBe('2');
    store.set({
      restricted: {
        streamId: 'str_1',
        kind: 'timeout',
        until: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    await expect
      .poll(() => shadow(chat).querySelector('.restricted')?.textContent)
      .toMatch(/timed out until/);
    expect(shadow(chat).querySelector('form')).toBeNull();
    expect(chat.dataset.restricted).toBe('timeout');
  });
});

describe('<onair-chat> moderation commands and bans', () => {
  it('runs /slow from the composer and bans from the message menu', async () => {
    const { chat: hostChat } = await mountedChat('<onair-chat can-moderate></onair-chat>');
    const viewerClient = await signedInClient('Rowdy');
    const viewerChat = mount('<onair-chat></onair-chat>').querySelector(
      'onair-chat',
    ) as OnAirChatElement;
    viewerChat.client = viewerClient;
    viewerChat.streamId = hostChat.streamId;
    await expect.poll(() => viewerChat.dataset.status, { timeout: 10_000 }).toBe('joined');

    submit(hostChat, '/slow 30');
    await expect
      .poll(() => shadow(hostChat).querySelector('.notice')?.textContent)
      .toBe('Slow mode on: one message every 30 s');
    submit(viewerChat, 'first under slow mode');
    await expect
      .poll(() => shadow(viewerChat).querySelector('.cooldown')?.getAttribute('data-seconds'))
      .toMatch(/^(30|29)$/);

    const row = () =>
      [...shadow(hostChat).querySelectorAll('li[data-delivery="sent"]')].find((li) =>
        li.textContent?.includes('first under slow mode'),
      ) as HTMLElement | undefined;
    await expect.poll(() => row() !== undefined, { timeout: 10_000 }).toBe(true);
    const menu = row() as HTMLElement;
    (menu.querySelector('summary') as HTMLElement).click();
    // Escape closes the menu and returns focus to its button; open it again.
    expect((menu.querySelector('details') as HTMLDetailsElement).open).toBe(true);
    menu.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    expect((menu.querySelector('details') as HTMLDetailsElement).open).toBe(false);
    expect(shadow(hostChat).activeElement).toBe(menu.querySelector('summary'));
    (menu.querySelector('summary') as HTMLElement).click();
    // The menu button sits on the row's first line at its right edge, never wrapped under the
    // text; open, its actions drop down over the rows, each on one line of its own.
    const box = (el: Element | null) => (el as HTMLElement).getBoundingClientRect();
    const [li, summary] = [box(menu), box(menu.querySelector('summary'))];
    expect(summary.top - li.top).toBeLessThan(summary.height);
    expect(li.right - summary.right).toBeLessThan(summary.width);
    const actions = [...menu.querySelectorAll('details button')].map(box);
    expect(actions.length).toBe(4);
    for (const [i, action] of actions.entries()) {
      expect(action.height).toBeLessThan(2 * summary.height);
      if (i > 0) expect(action.top).toBeGreaterThanOrEqual((actions[i - 1] as DOMRect).bottom - 1);
    }
    (menu.querySelector('button[data-action="ban"]') as HTMLButtonElement).click();
    await expect.poll(() => row()).toBeUndefined();
    await expect.poll(() => viewerChat.dataset.restricted, { timeout: 10_000 }).toBe('ban');
    expect(shadow(viewerChat).querySelector('.restricted')?.textContent).toMatch(/banned/);
  });
});

describe('<onair-chat replay>', () => {
  it('shows the recording’s chat in place of the live one (joining none), in the page’s language, and joins again when live', async () => {
    const client = await signedInClient('Replayer');
    const stream = await createStream(client, true);
    const chat = mount('<div lang="es"><onair-chat replay></onair-chat></div>').querySelector(
      'onair-chat',
    ) as OnAirChatElement;
    Object.assign(chat, { client, streamId: stream.id });
    const replay = () => shadow(chat).querySelector('onair-chat-replay');
    // The stream is not recorded: the replay says so, in Spanish, where the live chat was.
    await expect
      .poll(() => replay()?.shadowRoot?.querySelector('[part="error"]')?.textContent, {
        timeout: 10_000,
      })
      .toBe('Esta emisión no tiene grabación');
    expect(replay()?.getAttribute('part')).toBe('replay');
    expect(replay()?.getAttribute('exportparts')).toContain('messages');
    expect(chat.hasAttribute('replay')).toBe(true);
    expect(chat.dataset.status).toBe('idle');
    expect(shadow(chat).querySelector('form')).toBeNull();

    chat.replay = false;
    await expect.poll(() => chat.dataset.status, { timeout: 10_000 }).toBe('joined');
    expect(replay()).toBeNull();
    expect(shadow(chat).querySelector('form')).not.toBeNull();

    // On and off again before a render: the live chat stays joined, not left and joined again.
    // Every value the status had before each change (one batch may hold several changes).
    const statuses: Array<string | null> = [];
    const watch = new MutationObserver((records) => {
      for (const record of records) statuses.push(record.oldValue);
    });
    watch.observe(chat, { attributeFilter: ['data-status'], attributeOldValue: true });
    chat.replay = true;
    chat.replay = false;
    await chat.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const record of watch.takeRecords()) statuses.push(record.oldValue);
    watch.disconnect();
    expect(statuses.filter((status) => status !== 'joined')).toEqual([]);
    expect(chat.dataset.status).toBe('joined');
    expect(replay()).toBeNull();
  });
});
