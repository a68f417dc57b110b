import { describe, expect, it, vi } from 'vitest';
import { cleanedAfterEach, mount, signedInUser } from '../test-support.js';
import type { OnAirFollowersElement } from './followers.component.js';
import './onair-followers.js';

cleanedAfterEach();

const parts = (el: Element, name: string) => [
  ...(el.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${name}"]`) ?? []),
];
const names = (el: Element) => parts(el, 'name').map((n) => n.textContent);

/** A channel (its owner, whose client fetches with `fetchImpl`) with followers who followed in the order given. */
async function channelWith(name: string, fans: string[], fetchImpl?: typeof fetch) {
  const owner = await signedInUser(name, fetchImpl);
  for (const fan of fans) {
    const { client } = await signedInUser(fan);
    await client.channels.setFollowing(owner.userId, true);
    client.destroy();
  }
  return owner;
}

describe('<onair-followers>', () => {
  it("lists a channel's followers newest first, a page at a time, for its owner", async () => {
    const owner = await channelWith('Followed channel', ['Ada Lovelace', 'Grace Hopper', 'Alan']);
    const list = mount(
      `<onair-followers channel-id="${owner.userId}" page-size="2"></onair-followers>`,
    ).querySelector('onair-followers') as OnAirFollowersElement;
    list.client = owner.client;

    await expect.poll(() => list.dataset.status).toBe('ready');
    expect(parts(list, 'header')[0]?.textContent).toBe('Followers');
    expect(names(list)).toEqual(['Alan', 'Grace Hopper']);
    // Initials under each picture; how long ago, the date and time on hover.
    expect(parts(list, 'avatar').map((a) => a.textContent?.trim())).toEqual(['A', 'GH']);
    const since = parts(list, 'since')[0]?.querySelector('time');
    expect(since?.textContent).toBe('now');
    expect(since?.title).not.toBe('');

    parts(list, 'more')[0]?.click();
    await expect.poll(() => names(list)).toEqual(['Alan', 'Grace Hopper', 'Ada Lovelace']);
    expect(parts(list, 'more')).toHaveLength(0);
    expect(list.dataset.status).toBe('ready');

    // Another channel starts again from its first page.
    const empty = await channelWith('Quiet channel', []);
    list.client = empty.client;
    list.channelId = empty.userId;
    await expect.poll(() => parts(list, 'empty')[0]?.textContent).toBe('No followers yet');
    expect(names(list)).toEqual([]);
  });

  it('moves the ages on while it is on the page', async () => {
    const owner = await channelWith('Aging channel', ['Early fan']);
    // The clock and the element's interval are the test's; requests keep real timers.
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      const list = mount(
        `<onair-followers channel-id="${owner.userId}"></onair-followers>`,
      ).querySelector('onair-followers') as OnAirFollowersElement;
      list.client = owner.client;
      await expect.poll(() => list.dataset.status).toBe('ready');
      const age = () => parts(list, 'since')[0]?.textContent;
      expect(age()).toBe('now');
      vi.advanceTimersByTime(3 * 60_000);
      await list.updateComplete;
      expect(age()).toBe('3 min. ago');
    } finally {
      vi.useRealTimers();
    }
  });

  it('is idle without a client, tries again after a failure, and hands the focus to the list after the last page', async () => {
    const offline = { on: true, refused: 0 };
    const owner = await channelWith('Flaky channel', ['One', 'Two'], (input, init) => {
      if (!offline.on || !String(input).includes('/followers')) return fetch(input, init);
      offline.refused++;
      return Promise.reject(new TypeError('Failed to fetch'));
    });
    const list = mount(
      `<onair-followers channel-id="${owner.userId}" page-size="many"></onair-followers>`,
    ).querySelector('onair-followers') as OnAirFollowersElement;
    await list.updateComplete;
    expect(list.dataset.status).toBe('idle');

    // The first page fails: "Try again".
    list.client = owner.client;
    await expect.poll(() => list.dataset.status).toBe('error');
    expect(parts(list, 'error')[0]?.dataset.code).toBe('NETWORK');
    // Tried again while still offline: the error comes back, and the keyboard focus with it to
    // "Try again" (the one drawn again, the first was replaced while loading).
    const first = parts(list, 'retry')[0] as HTMLElement;
    first.focus();
    const refused = offline.refused;
    first.click();
    await expect.poll(() => offline.refused).toBe(refused + 1);
    await expect.poll(() => list.dataset.status).toBe('error');
    await expect.poll(() => list.shadowRoot?.activeElement?.getAttribute('part')).toBe('retry');
    offline.on = false;
    const retry = parts(list, 'retry')[0] as HTMLElement;
    retry.focus();
    retry.click();
    // An unreadable page size is the default 20: both on the first page.
    await expect.poll(() => names(list)).toEqual(['Two', 'One']);
    // The keyboard focus, on "Try again" that the list replaced, is on the list.
    await expect.poll(() => list.shadowRoot?.activeElement?.getAttribute('part')).toBe('list');
    expect(parts(list, 'retry')).toHaveLength(0);
    expect(parts(list, 'more')).toHaveLength(0);

    // A failed next page keeps "Load more", which tries again.
    list.pageSize = 1;
    await expect.poll(() => names(list)).toEqual(['Two']);
    offline.on = true;
    parts(list, 'more')[0]?.click();
    await expect.poll(() => list.dataset.status).toBe('error');
    expect(names(list)).toEqual(['Two']);
    offline.on = false;
    const more = parts(list, 'more')[0] as HTMLElement;
    more.focus();
    await list.loadMore();
    expect(names(list)).toEqual(['Two', 'One']);
    expect(list.dataset.status).toBe('ready');
    expect(parts(list, 'more')).toHaveLength(0);
    expect(list.shadowRoot?.activeElement?.getAttribute('part')).toBe('list');
  });

  it('tells anyone but the staff why the list is not theirs, in their language', async () => {
    const owner = await channelWith('Private followers', ['Fan one']);
    const stranger = await signedInUser('Stranger');
    const list = mount(
      `<div lang="es"><onair-followers channel-id="${owner.userId}"></onair-followers></div>`,
    ).querySelector('onair-followers') as OnAirFollowersElement;
    list.client = stranger.client;

    await expect.poll(() => list.dataset.status).toBe('error');
    const error = parts(list, 'error')[0];
    expect(error?.dataset.code).toBe('FORBIDDEN');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(error?.textContent).toBe(
      'Solo el propietario y los moderadores del canal ven sus seguidores',
    );
    expect(names(list)).toEqual([]);
    expect(parts(list, 'header')[0]?.textContent).toBe('Seguidores');
  });
});
