import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-stream-card.js';
import '../translations/es.js';
import type { OnAirStreamCardElement } from './stream-card.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('<onair-stream-card>', () => {
  it('shows a live stream with badge and viewers, and selects on Enter and on a click anywhere', async () => {
    const client = await signedInClient('Carded');
    const stream = await client.streams.update((await createStream(client, true)).id, {
      category: 'Music',
      tags: ['jazz', 'live set'],
    });
    const card = mount('<onair-stream-card viewer-count="42"></onair-stream-card>').querySelector(
      'onair-stream-card',
    ) as OnAirStreamCardElement;
    card.stream = stream;
    await card.updateComplete;
    const root = card.shadowRoot as ShadowRoot;
    expect(root.querySelector('.badge')?.textContent).toBe('LIVE');
    expect(root.querySelector('.viewers')?.textContent).toBe('42 watching');
    expect([...root.querySelectorAll('.tag')].map((t) => t.textContent)).toEqual([
      'jazz',
      'live set',
    ]);
    expect(card.dataset.status).toBe('live');
    // No image of the host's: OnAir's poster of the live stream, from the client's server.
    expect(root.querySelector('img')?.getAttribute('src')).toBe(`/hls/${stream.id}/poster.jpg`);
    card.client = client;
    await card.updateComplete;
    expect(root.querySelector('img')?.getAttribute('src')).toBe(
      `${client.baseUrl}/hls/${stream.id}/poster.jpg`,
    );
    const selected = new Promise<string>((resolve) =>
      card.addEventListener('onair-stream-select', (e) => resolve(e.detail.stream.id), {
        once: true,
      }),
    );
    // The title is the card's button: Enter on it selects, a click anywhere on the card does too.
    const title = root.querySelector('h3 button') as HTMLButtonElement;
    expect(title.textContent).toBe(stream.title);
    title.focus();
    await userEvent.keyboard('{Enter}');
    expect(await selected).toBe(stream.id);
    let clicks = 0;
    card.addEventListener('onair-stream-select', () => clicks++);
    await userEvent.click(card);
    expect(clicks).toBe(1);
  });

  it("shows a scheduled stream's start time in the viewer's language", async () => {
    const client = await signedInClient('Planner');
    const scheduledAt = new Date(Date.UTC(2031, 0, 15, 18, 30)).toISOString();
    const { stream } = await client.streams.create({ title: 'Futuro', scheduledAt });
    const card = mount(
      '<div lang="es"><onair-stream-card></onair-stream-card></div>',
    ).querySelector('onair-stream-card') as OnAirStreamCardElement;
    card.stream = stream;
    await card.updateComplete;
    const when = card.shadowRoot?.querySelector('.when')?.textContent ?? '';
    const expected = new Intl.DateTimeFormat('es', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }).format(new Date(scheduledAt));
    expect(when).toBe(`Empieza ${expected}`);
    expect(card.shadowRoot?.querySelector('.badge')).toBeNull();
  });
});
