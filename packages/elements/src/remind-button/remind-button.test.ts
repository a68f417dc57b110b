import { OnAirClient } from '@onair/core';
import { describe, expect, it } from 'vitest';
import { cleanedAfterEach, mount, signedInUser } from '../test-support.js';
import './onair-remind-button.js';
import type { OnAirRemindButtonElement } from './remind-button.component.js';

cleanedAfterEach();

const part = (el: Element, name: string) =>
  el.shadowRoot?.querySelector<HTMLElement>(`[part="${name}"]`) ?? null;

const inThreeHours = () => new Date(Date.now() + 3 * 3600_000).toISOString();

describe('<onair-remind-button>', () => {
  it('sets and clears a reminder, then says the stream started and switches back', async () => {
    const host = await signedInUser('Remind host');
    const fan = await signedInUser('Remind fan');
    const { stream } = await host.client.streams.create({
      title: 'Launch',
      scheduledAt: inThreeHours(),
    });
    const button = mount(
      `<onair-remind-button stream-id="${stream.id}"></onair-remind-button>`,
    ).querySelector('onair-remind-button') as OnAirRemindButtonElement;
    button.client = fan.client;
    await expect.poll(() => part(button, 'button')?.getAttribute('aria-pressed')).toBe('false');
    expect(part(button, 'button')?.textContent?.trim()).toBe('🔔 Remind me');
    expect(button.dataset.reminded).toBe('false');

    const changes: unknown[] = [];
    button.addEventListener('onair-reminder-change', (event) => changes.push(event.detail));
    part(button, 'button')?.click();
    // Switched at once, before the server answered.
    await button.updateComplete;
    expect(part(button, 'button')?.getAttribute('aria-pressed')).toBe('true');
    expect(button.hasAttribute('data-busy')).toBe(true);
    await expect.poll(() => changes).toEqual([{ streamId: stream.id, reminded: true }]);
    expect(await fan.client.notifications.reminder(stream.id)).toBe(true);
    expect(part(button, 'button')?.textContent?.trim()).toBe('🔔 Reminder set');
    expect(button.hasAttribute('data-busy')).toBe(false);

    part(button, 'button')?.click();
    await expect.poll(() => changes.length).toBe(2);
    expect(changes[1]).toEqual({ streamId: stream.id, reminded: false });
    expect(part(button, 'button')?.getAttribute('aria-pressed')).toBe('false');
    expect(await fan.client.notifications.reminder(stream.id)).toBe(false);

    // Once the stream started the server refuses (CONFLICT): the button switches back.
    await host.client.streams.start(stream.id);
    part(button, 'button')?.click();
    await expect
      .poll(() => part(button, 'error')?.textContent)
      .toBe('This stream has already started');
    expect(part(button, 'button')?.getAttribute('aria-pressed')).toBe('false');
    expect(button.dataset.reminded).toBe('false');
    expect(changes).toHaveLength(2);
    expect(await fan.client.notifications.reminder(stream.id)).toBe(false);
  });

  it('shows only for a scheduled `stream`, and asks a signed-out viewer to sign in', async () => {
    const host = await signedInUser('Remind owner');
    const { stream } = await host.client.streams.create({
      title: 'Later',
      scheduledAt: inThreeHours(),
    });
    const page = mount(`
      <onair-remind-button></onair-remind-button>
      <div lang="es-MX"><onair-remind-button></onair-remind-button></div>`);
    const [given, signedOut] = [
      ...page.querySelectorAll('onair-remind-button'),
    ] as OnAirRemindButtonElement[];
    if (!given || !signedOut) throw new Error('not mounted');

    // Given the stream itself, no `stream-id`: its id is the one reminded of.
    given.client = host.client;
    given.stream = stream;
    await expect.poll(() => part(given, 'button')?.getAttribute('aria-pressed')).toBe('false');
    given.stream = { ...stream, status: 'live' };
    await given.updateComplete;
    expect(given.shadowRoot?.childElementCount).toBe(0);
    expect(given.dataset.reminded).toBeUndefined();

    signedOut.client = new OnAirClient({ baseUrl: location.origin });
    signedOut.streamId = stream.id;
    await expect.poll(() => part(signedOut, 'button')?.textContent?.trim()).toBe('🔔 Recordármelo');
    part(signedOut, 'button')?.click();
    await expect
      .poll(() => part(signedOut, 'error')?.textContent)
      .toBe('Inicia sesión para recibir recordatorios');
    expect(part(signedOut, 'button')?.getAttribute('aria-pressed')).toBe('false');

    // Without a client it renders nothing.
    signedOut.client = undefined;
    await signedOut.updateComplete;
    expect(part(signedOut, 'button')).toBeNull();
  });

  it('reads the state of a page of buttons together: one request per 100 streams', async () => {
    const host = await signedInUser('Many host');
    const fan = await signedInUser('Many fan');
    const { stream } = await host.client.streams.create({
      title: 'Real',
      scheduledAt: inThreeHours(),
    });
    await fan.client.notifications.setReminder(stream.id, true);
    const ids = Array.from({ length: 101 }, (_, i) => (i === 60 ? stream.id : `str_none${i}`));
    const reads: string[] = [];
    const observer = new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries())
        if (entry.name.includes('/reminder')) reads.push(new URL(entry.name).pathname);
    });
    observer.observe({ type: 'resource' });
    const page = mount(
      `${ids.map((id) => `<onair-remind-button stream-id="${id}"></onair-remind-button>`).join('')}<onair-remind-button stream-id="not an id"></onair-remind-button>`,
    );
    const buttons = [...page.querySelectorAll('onair-remind-button')] as OnAirRemindButtonElement[];
    for (const button of buttons) button.client = fan.client;
    await expect
      .poll(() => buttons.filter((b) => b.dataset.reminded !== undefined).length, {
        timeout: 10_000,
      })
      .toBe(102);
    expect(buttons.map((b) => b.dataset.reminded === 'true').indexOf(true)).toBe(60);
    expect(buttons.filter((b) => b.dataset.reminded === 'true')).toHaveLength(1);
    // The malformed id (no stream's) was not asked: the others' request did not fail for it.
    await expect.poll(() => reads).toEqual(['/v1/me/reminders', '/v1/me/reminders']);
    observer.disconnect();
  });
});
