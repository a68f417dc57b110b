import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-chat.js';
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
      .toBe('1 watching');
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
    expect(shadow(viewerChat).querySelector('.actions')).toBeNull();

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
