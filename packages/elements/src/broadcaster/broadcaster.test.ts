import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-broadcaster.js';
import type { OnAirBroadcasterElement } from './broadcaster.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

function button(el: OnAirBroadcasterElement, name: string): HTMLButtonElement {
  const found = [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent?.trim() === name,
  );
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

describe('<onair-broadcaster>', () => {
  it('previews the camera, goes live (starting the stream) and ends', async () => {
    const client = await signedInClient('Teacher');
    const stream = await createStream(client, false);
    const container = mount('<onair-broadcaster no-confirm></onair-broadcaster>');
    const el = container.querySelector('onair-broadcaster') as OnAirBroadcasterElement;
    const statuses: string[] = [];
    el.addEventListener('onair-broadcaster-status', (e) => statuses.push(e.detail.status));
    el.client = client;
    el.streamId = stream.id;
    await el.updateComplete;

    button(el, 'Start camera').click();
    await expect.poll(() => el.dataset.status).toBe('previewing');
    const video = el.shadowRoot?.querySelector('video') as HTMLVideoElement;
    expect(video.srcObject).toBeInstanceOf(MediaStream);

    button(el, 'Go live').click();
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    expect((await client.streams.get(stream.id)).status).toBe('live');

    button(el, 'End stream').click();
    await expect.poll(() => el.dataset.status).toBe('ended');
    expect((await client.streams.get(stream.id)).status).toBe('ended');
    expect(statuses).toEqual(['idle', 'previewing', 'connecting', 'live', 'ended']);
  });

  it('shows a typed error when someone else tries to go live', async () => {
    const owner = await signedInClient('Owner');
    const intruder = await signedInClient('Intruder');
    const stream = await createStream(owner, true);
    const container = mount('<onair-broadcaster></onair-broadcaster>');
    const el = container.querySelector('onair-broadcaster') as OnAirBroadcasterElement;
    el.client = intruder;
    el.streamId = stream.id;
    await el.updateComplete;
    button(el, 'Go live').click();
    await expect
      .poll(() => el.shadowRoot?.querySelector('[role="alert"]')?.getAttribute('data-code'), {
        timeout: 10_000,
      })
      .toBe('FORBIDDEN');
    expect(el.dataset.status).toBe('failed');
  });

  it('ends the publishing session at once when the key is rotated or the stream is ended elsewhere', async () => {
    const client = await signedInClient('Rotator');
    for (const [action, status, code] of [
      ['rotate', 'failed', 'UNAUTHORIZED'],
      ['end', 'ended', null],
    ] as const) {
      const stream = await createStream(client, false);
      const el = mount('<onair-broadcaster no-confirm></onair-broadcaster>').querySelector(
        'onair-broadcaster',
      ) as OnAirBroadcasterElement;
      el.client = client;
      el.streamId = stream.id;
      await el.updateComplete;
      button(el, 'Go live').click();
      await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
      if (action === 'rotate') await client.streams.rotateKey(stream.id);
      else await client.streams.end(stream.id);
      await expect.poll(() => el.dataset.status, { timeout: 5_000 }).toBe(status);
      const alert = el.shadowRoot?.querySelector('[role="alert"]');
      expect(alert?.getAttribute('data-code') ?? null).toBe(code);
      el.remove();
    }
  });
});
