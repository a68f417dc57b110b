import { afterEach, describe, expect, it } from 'vitest';
import { mount, signedInClient } from '../test-support.js';
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
});
