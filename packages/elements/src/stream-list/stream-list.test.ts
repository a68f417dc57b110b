import { afterEach, describe, expect, it } from 'vitest';
import { mount, signedInClient, signedInUser } from '../test-support.js';
import './onair-stream-list.js';
import type { OnAirStreamListElement } from './stream-list.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

const titles = (list: OnAirStreamListElement) =>
  [...(list.shadowRoot?.querySelectorAll('onair-stream-card') ?? [])].map(
    (card) => (card as HTMLElement & { stream?: { title: string } }).stream?.title,
  );

describe('<onair-stream-list>', () => {
  it('lists live streams of a category and follows go-live and end over realtime, without polling', async () => {
    const category = `cat${Date.now()}`;
    const client = await signedInClient('Lister');
    const make = async (title: string) => (await client.streams.create({ title, category })).stream;
    const first = await make('First');
    await client.streams.start(first.id);

    const list = mount('<onair-stream-list></onair-stream-list>').querySelector(
      'onair-stream-list',
    ) as OnAirStreamListElement;
    list.category = category;
    list.client = client;
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['First']);

    const second = await make('Second');
    // Another user's client starts it: the list only learns of it through realtime.
    const other = await signedInClient('Other');
    await client.streams.start(second.id);
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['Second', 'First']);
    await client.streams.end(first.id);
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['Second']);
    other.destroy();
  });

  it("lists only the streams of one host app's thing with external-id", async () => {
    const lesson = `lesson-${Date.now()}`;
    const client = await signedInClient('Course host');
    for (const [title, externalId] of [
      ['Lesson one', `${lesson}-1`],
      ['Lesson two', `${lesson}-2`],
    ] as const) {
      const { stream } = await client.streams.create({ title, externalId });
      await client.streams.start(stream.id);
    }
    const list = mount(
      `<onair-stream-list external-id="${lesson}-1"></onair-stream-list>`,
    ).querySelector('onair-stream-list') as OnAirStreamListElement;
    expect(list.externalId).toBe(`${lesson}-1`);
    list.client = client;
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['Lesson one']);
    list.externalId = `${lesson}-2`;
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['Lesson two']);
    client.destroy();
  });

  it('puts "Remind me" under scheduled cards once the page has the remind button', async () => {
    const category = `remind${Date.now()}`;
    const host = await signedInClient('Upcoming host');
    const fan = await signedInClient('Upcoming fan');
    const scheduled = [];
    for (const [title, minutes] of [
      ['Soon', 60],
      ['Later', 120],
      ['Last', 180],
    ] as const) {
      const { stream } = await host.streams.create({
        title,
        category,
        scheduledAt: new Date(Date.now() + minutes * 60_000).toISOString(),
      });
      scheduled.push(stream);
    }
    const stream = scheduled[0] as (typeof scheduled)[number];
    const { stream: now } = await host.streams.create({ title: 'Now', category });
    await host.streams.start(now.id);
    const page = mount(
      '<onair-stream-list status="scheduled"></onair-stream-list><onair-stream-list></onair-stream-list>',
    );
    const [upcoming, live] = [
      ...page.querySelectorAll('onair-stream-list'),
    ] as OnAirStreamListElement[];
    if (!upcoming || !live) throw new Error('not mounted');
    for (const list of [upcoming, live]) {
      list.category = category;
      list.client = fan;
    }
    await expect
      .poll(() => titles(upcoming), { timeout: 10_000 })
      .toEqual(['Soon', 'Later', 'Last']);
    await expect.poll(() => titles(live), { timeout: 10_000 }).toEqual(['Now']);
    expect(live.shadowRoot?.querySelector('onair-remind-button')).toBeNull();
    // The list does not load the button (its tag, undefined, takes no room): the page's
    // import brings it, even after the list.
    expect(customElements.get('onair-remind-button')).toBeUndefined();
    const item = upcoming.shadowRoot?.querySelector('li') as HTMLLIElement;
    expect(item.getBoundingClientRect().height).toBe(
      item.querySelector('onair-stream-card')?.getBoundingClientRect().height,
    );
    // The page's buttons read their state in one request.
    const reads: string[] = [];
    const observer = new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries())
        if (entry.name.includes('/reminder')) reads.push(new URL(entry.name).pathname);
    });
    observer.observe({ type: 'resource' });
    await import('../remind-button/onair-remind-button.js');
    const buttons = () =>
      [...(upcoming.shadowRoot?.querySelectorAll('li > onair-remind-button') ?? [])].map((r) =>
        r.shadowRoot?.querySelector<HTMLElement>('[part="button"]')?.getAttribute('aria-pressed'),
      );
    await expect.poll(buttons).toEqual(['false', 'false', 'false']);
    await expect.poll(() => reads).toEqual(['/v1/me/reminders']);
    observer.disconnect();
    const remind = upcoming.shadowRoot?.querySelector('li > onair-remind-button');
    const button = () => remind?.shadowRoot?.querySelector<HTMLElement>('[part="button"]');
    expect(button()?.textContent?.trim()).toBe('🔔 Remind me');
    button()?.click();
    await expect.poll(() => fan.notifications.reminder(stream.id)).toBe(true);
    for (const client of [host, fan]) client.destroy();
  });

  it('loads more pages and shows an empty state', async () => {
    const category = `page${Date.now()}`;
    const client = await signedInClient('Pager');
    for (const title of ['A', 'B', 'C']) {
      const { stream } = await client.streams.create({ title, category });
      await client.streams.start(stream.id);
    }
    const list = mount('<onair-stream-list></onair-stream-list>').querySelector(
      'onair-stream-list',
    ) as OnAirStreamListElement;
    list.category = category;
    list.limit = 2;
    list.client = client;
    await expect.poll(() => titles(list).length, { timeout: 10_000 }).toBe(2);
    ((list.shadowRoot as ShadowRoot).querySelector('.more button') as HTMLButtonElement).click();
    await expect.poll(() => titles(list)).toEqual(['C', 'B', 'A']);
    expect(list.shadowRoot?.querySelector('.more')).toBeNull();

    const empty = mount('<onair-stream-list status="scheduled"></onair-stream-list>').querySelector(
      'onair-stream-list',
    ) as OnAirStreamListElement;
    empty.category = `nothing${Date.now()}`;
    empty.client = client;
    await expect
      .poll(() => empty.shadowRoot?.querySelector('.empty')?.textContent)
      .toBe('No streams here yet');
  });

  it('searches by words as the viewer types, switches to upcoming, and keeps to followed channels (#21 item 2)', async () => {
    const word = `zq${Date.now().toString(36)}`;
    const { client: host, userId: hostId } = await signedInUser('Searched host');
    const stranger = await signedInClient('Other host');
    const viewer = await signedInClient('Searcher');
    for (const [client, title] of [
      [host, `${word} algebra`],
      [stranger, `${word} painting`],
    ] as const) {
      const { stream } = await client.streams.create({ title, tags: ['math'] });
      await client.streams.start(stream.id);
    }
    await host.streams.create({
      title: `${word} geometry`,
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    await host.streams.create({ title: 'Unrelated', tags: ['math'] });
    await viewer.channels.setFollowing(hostId, true);

    const list = mount('<onair-stream-list search></onair-stream-list>').querySelector(
      'onair-stream-list',
    ) as OnAirStreamListElement;
    list.client = viewer;
    const root = list.shadowRoot as ShadowRoot;
    await expect
      .poll(() => root.querySelector('[part="search"] input[type="search"]'))
      .not.toBeNull();
    const input = root.querySelector('input[type="search"]') as HTMLInputElement;
    expect(input.getAttribute('aria-label')).toBe('Search streams');
    // Typed a letter at a time: one search once the viewer stops.
    for (const end of [3, word.length]) {
      input.value = `${word.slice(0, end)}`;
      input.dispatchEvent(new Event('input'));
    }
    await expect
      .poll(() => titles(list).sort(), { timeout: 10_000 })
      .toEqual([`${word} algebra`, `${word} painting`]);
    expect(list.q).toBe(word);

    const status = root.querySelector('[part="search"] select') as HTMLSelectElement;
    status.value = 'scheduled';
    status.dispatchEvent(new Event('change'));
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual([`${word} geometry`]);
    expect(list.status).toBe('scheduled');

    status.value = 'live';
    status.dispatchEvent(new Event('change'));
    const following = root.querySelector(
      '[part="search"] input[type="checkbox"]',
    ) as HTMLInputElement;
    following.checked = true;
    following.dispatchEvent(new Event('change'));
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual([`${word} algebra`]);
    for (const client of [host, stranger, viewer]) client.destroy();
  });

  it('ranks live streams by who watches them now with "Most watched" (#21 item 2)', async () => {
    const category = `pop${Date.now()}`;
    const host = await signedInClient('Popular host');
    const ids: Record<string, string> = {};
    for (const title of ['Busy', 'Quiet']) {
      const { stream } = await host.streams.create({ title, category });
      await host.streams.start(stream.id);
      ids[title] = stream.id;
    }
    // Two viewers in Busy's room and none in Quiet's: Busy is the older, so newest first puts it last.
    const watchers = [await signedInClient('Watcher A'), await signedInClient('Watcher B')];
    const leases = watchers.map((w) => w.realtime.holdRoom(ids.Busy as string));
    await Promise.all(leases.map((lease) => lease.joined));
    // The client asks the server for the ranking (it used to drop `sort`). Counts are the
    // server's, brought up to date every 250 ms: a join between two counts shows at the next.
    const ranking = async () =>
      (await host.streams.list({ status: 'live', category, sort: 'viewers' })).items.map((s) => [
        s.title,
        s.viewerCount,
      ]);
    await expect.poll(ranking, { timeout: 5000 }).toEqual([
      ['Busy', 2],
      ['Quiet', 0],
    ]);

    const list = mount('<onair-stream-list search></onair-stream-list>').querySelector(
      'onair-stream-list',
    ) as OnAirStreamListElement;
    list.category = category;
    list.client = host;
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['Quiet', 'Busy']);
    const root = list.shadowRoot as ShadowRoot;
    const picker = root.querySelector('[part="search"] select') as HTMLSelectElement;
    expect(picker.value).toBe('live');
    picker.value = 'popular';
    picker.dispatchEvent(new Event('change'));
    await expect.poll(() => titles(list), { timeout: 10_000 }).toEqual(['Busy', 'Quiet']);
    expect([list.status, list.sort]).toEqual(['live', 'viewers']);
    expect(picker.selectedOptions[0]?.textContent).toBe('Most watched');
    // Upcoming ignores the ranking (the server ranks live streams only).
    picker.value = 'scheduled';
    picker.dispatchEvent(new Event('change'));
    await expect.poll(() => list.dataset.state, { timeout: 10_000 }).toBe('success');
    expect(list.sort).toBeUndefined();
    for (const lease of leases) lease.release();
    for (const client of [host, ...watchers]) client.destroy();
  });
});
