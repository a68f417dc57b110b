import { afterEach, describe, expect, it } from 'vitest';
import { chooseFiles, mount, pngFile, signedInClient } from '../test-support.js';
import './onair-scheduler.js';
import type { OnAirSchedulerElement } from './scheduler.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

function fill(el: OnAirSchedulerElement, values: Record<string, string>) {
  const form = el.shadowRoot?.querySelector('form') as HTMLFormElement;
  for (const [name, value] of Object.entries(values)) {
    (form.elements.namedItem(name) as HTMLInputElement).value = value;
  }
  form.requestSubmit();
}

const localInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

describe('<onair-scheduler>', () => {
  it('schedules a stream and shows its key once', async () => {
    const client = await signedInClient('Teacher');
    const el = mount('<onair-scheduler></onair-scheduler>').querySelector(
      'onair-scheduler',
    ) as OnAirSchedulerElement;
    el.client = client;
    await el.updateComplete;
    const created = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('onair-stream-created', (e) => resolve(e as CustomEvent), { once: true }),
    );
    const start = new Date(Date.now() + 2 * 3600_000);
    fill(el, {
      title: 'Algebra',
      category: 'Math',
      tags: 'week 1, live',
      privacy: 'subscribers',
      scheduledAt: localInput(start),
    });
    const { detail } = await created;
    expect(detail.stream).toMatchObject({
      title: 'Algebra',
      category: 'Math',
      tags: ['week 1', 'live'],
      privacy: 'subscribers',
      minTier: 1,
      status: 'scheduled',
    });
    expect(Math.abs(Date.parse(detail.stream.scheduledAt) - start.getTime())).toBeLessThan(60_000);
    await expect
      .poll(
        () =>
          (el.shadowRoot?.querySelector('[part="key"] input') as HTMLInputElement | null)?.value,
      )
      .toBe(detail.streamKey);
    expect(el.dataset.state).toBe('created');
  });

  it('asks a subscribers stream for its minimum tier, and only that privacy', async () => {
    const client = await signedInClient('Tiered teacher');
    const el = mount('<onair-scheduler></onair-scheduler>').querySelector(
      'onair-scheduler',
    ) as OnAirSchedulerElement;
    el.client = client;
    await el.updateComplete;
    const root = el.shadowRoot as ShadowRoot;
    const tier = () => root.querySelector<HTMLInputElement>('input[name="minTier"]');
    const privacy = root.querySelector('select[name="privacy"]') as HTMLSelectElement;
    const pick = async (value: string) => {
      privacy.value = value;
      privacy.dispatchEvent(new Event('change'));
      await el.updateComplete;
    };
    expect(tier()).toBeNull();
    for (const value of ['public', 'unlisted', 'followers', 'private']) {
      await pick(value);
      expect(tier(), value).toBeNull();
    }
    await pick('subscribers');
    expect(tier()?.closest('label')?.textContent?.trim()).toBe('Minimum tier');
    expect([tier()?.value, tier()?.min, tier()?.max]).toEqual(['1', '1', '3']);
    const created = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('onair-stream-created', (e) => resolve(e as CustomEvent), { once: true }),
    );
    fill(el, { title: 'Tier two only', minTier: '2' });
    const { detail } = await created;
    expect(detail.stream).toMatchObject({ privacy: 'subscribers', minTier: 2 });
    expect((await client.streams.get(detail.stream.id)).minTier).toBe(2);
    // The next stream starts afresh: public, no tier.
    el.reset();
    await el.updateComplete;
    expect(tier()).toBeNull();
    client.destroy();
  });

  it('uploads the chosen thumbnail with the new stream (#21 item 6)', async () => {
    const client = await signedInClient('Illustrator');
    const el = mount('<onair-scheduler></onair-scheduler>').querySelector(
      'onair-scheduler',
    ) as OnAirSchedulerElement;
    el.client = client;
    await el.updateComplete;
    const form = el.shadowRoot?.querySelector('form') as HTMLFormElement;
    chooseFiles(form.elements.namedItem('thumbnail') as HTMLInputElement, [
      await pngFile(640, 360),
    ]);
    const created = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('onair-stream-created', (e) => resolve(e as CustomEvent), { once: true }),
    );
    fill(el, { title: 'Drawing live' });
    const { detail } = await created;
    expect(detail.stream.thumbnailUrl).toMatch(/^\/thumbnails\/str_[\w-]+\/[\w-]{12}\.jpg$/);
    expect((await client.streams.get(detail.stream.id)).thumbnailUrl).toBe(
      detail.stream.thumbnailUrl,
    );
  });

  it('marks a start time in the past as invalid', async () => {
    const client = await signedInClient('Late');
    const el = mount('<onair-scheduler></onair-scheduler>').querySelector(
      'onair-scheduler',
    ) as OnAirSchedulerElement;
    el.client = client;
    await el.updateComplete;
    fill(el, { title: 'Too late', scheduledAt: localInput(new Date(Date.now() - 86_400_000)) });
    await expect
      .poll(() => el.shadowRoot?.querySelector('[role="alert"]')?.getAttribute('data-code'))
      .toBe('UNPROCESSABLE');
    expect(
      el.shadowRoot?.querySelector('input[name="scheduledAt"]')?.getAttribute('aria-invalid'),
    ).toBe('true');
  });
});
