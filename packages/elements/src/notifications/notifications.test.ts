import { afterEach, describe, expect, it } from 'vitest';
import '../follow-button/onair-follow-button.js';
import type { OnAirFollowButtonElement } from '../follow-button/follow-button.component.js';
import { mount, signedInUser } from '../test-support.js';
import './onair-notifications.js';
import type { OnAirNotificationsElement } from './notifications.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

const shadow = (el: Element) => el.shadowRoot as ShadowRoot;

describe('<onair-follow-button> and <onair-notifications>', () => {
  it('follows a channel, picks everything, and the bell shows what comes live', async () => {
    const host = await signedInUser('Bell host');
    const fan = await signedInUser('Bell fan');
    // A channel exists once its owner made a stream.
    await host.client.streams.create({ title: 'Warm-up' });
    const page = mount(`
      <onair-follow-button channel-id="${host.userId}"></onair-follow-button>
      <onair-notifications></onair-notifications>`);
    const follow = page.querySelector('onair-follow-button') as OnAirFollowButtonElement;
    const bell = page.querySelector('onair-notifications') as OnAirNotificationsElement;
    follow.client = fan.client;
    bell.client = fan.client;
    const button = () =>
      shadow(follow).querySelector('[part="button"]') as HTMLButtonElement | null;
    await expect.poll(() => button()?.textContent).toBe('Follow · 0');
    const changed = new Promise<CustomEvent>((resolve) =>
      follow.addEventListener('onair-follow-change', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    button()?.click();
    expect((await changed).detail).toEqual({ channelId: host.userId, following: true });
    await expect.poll(() => button()?.textContent).toBe('Following · 1');
    const level = shadow(follow).querySelector('[part="level"]') as HTMLSelectElement;
    expect(level.value).toBe('live');
    level.value = 'all';
    level.dispatchEvent(new Event('change'));
    await expect.poll(async () => (await fetchLevel(fan.client, host.userId)).level).toBe('all');

    // Scheduling, then going live: two notifications, pushed to the bell.
    const { stream } = await host.client.streams.create({
      title: 'Launch',
      scheduledAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    });
    await expect.poll(() => bell.dataset.unread, { timeout: 10_000 }).toBe('1');
    await host.client.streams.start(stream.id);
    await expect.poll(() => bell.dataset.unread, { timeout: 10_000 }).toBe('2');
    const badge = shadow(bell).querySelector('[part="badge"]') as HTMLElement;
    expect(badge.textContent).toBe('2');
    // On the bell's corner, inside the element: a bell at the page's right edge shows it whole.
    const [badgeBox, hostBox] = [badge, bell].map((e) => e.getBoundingClientRect()) as [
      DOMRect,
      DOMRect,
    ];
    expect(badgeBox.right).toBeLessThanOrEqual(hostBox.right);
    expect(badgeBox.top).toBeGreaterThanOrEqual(hostBox.top);
    // On the bell's end corner: its left one right to left.
    const ring = shadow(bell).querySelector('[part="bell"]') as HTMLElement;
    expect(Math.abs(badgeBox.right - ring.getBoundingClientRect().right)).toBeLessThanOrEqual(1);
    bell.dir = 'rtl';
    const rtl = [badge, ring].map((e) => e.getBoundingClientRect().left) as [number, number];
    expect(Math.abs(rtl[0] - rtl[1])).toBeLessThanOrEqual(1);
    bell.dir = '';

    (shadow(bell).querySelector('[part="bell"]') as HTMLButtonElement).click();
    await expect.poll(() => shadow(bell).querySelectorAll('li[data-unread]').length).toBe(2);
    const items = [...shadow(bell).querySelectorAll('li')].map((li) => li.textContent ?? '');
    expect(items[0]).toContain('Bell host is live: Launch');
    expect(items[1]).toContain('Bell host scheduled Launch');
    // The header and the rows fit the panel: "Mark all as read" is not cut off at its edge.
    const panel = shadow(bell).querySelector('[part="panel"]') as HTMLElement;
    for (const row of shadow(bell).querySelectorAll<HTMLElement>('header, li > button')) {
      expect(row.getBoundingClientRect().right).toBeLessThanOrEqual(
        panel.getBoundingClientRect().right,
      );
    }
    expect(panel.scrollWidth).toBe(panel.clientWidth);
    const opened = new Promise<CustomEvent>((resolve) =>
      bell.addEventListener('onair-notification-open', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    (shadow(bell).querySelector('li button') as HTMLButtonElement).click();
    expect((await opened).detail.notification).toMatchObject({ id: `live-${stream.id}` });
    await expect.poll(() => bell.dataset.unread).toBe('1');
    (shadow(bell).querySelector('header .link') as HTMLButtonElement).click();
    await expect.poll(() => bell.dataset.unread).toBe('0');
    expect(shadow(bell).querySelector('li[data-unread]')).toBeNull();

    // Unfollowing hides the level picker.
    button()?.click();
    await expect.poll(() => button()?.textContent).toBe('Follow · 0');
    expect(shadow(follow).querySelector('[part="level"]')).toBeNull();
  });
});

async function fetchLevel(client: import('@onair/core').OnAirClient, channelId: string) {
  return { level: await client.notifications.level(channelId) };
}
