import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-viewer-count.js';
import type { OnAirViewerCountElement } from './viewer-count.component.js';

const shadow = (el: OnAirViewerCountElement) => el.shadowRoot as ShadowRoot;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('<onair-viewer-count>', () => {
  it('counts viewers live, keeps the peak and lists viewers for the host', async () => {
    const host = await signedInClient('Counter host');
    const stream = await createStream(host, true);
    const el = mount(
      '<onair-viewer-count show-peak can-moderate></onair-viewer-count>',
    ).querySelector('onair-viewer-count') as OnAirViewerCountElement;
    el.client = host;
    el.streamId = stream.id;
    // The host broadcasts: it is no viewer.
    await expect.poll(() => el.dataset.count, { timeout: 10_000 }).toBe('0');
    const viewer = await signedInClient('Counted');
    const other = mount('<onair-viewer-count></onair-viewer-count>').querySelector(
      'onair-viewer-count',
    ) as OnAirViewerCountElement;
    other.client = viewer;
    other.streamId = stream.id;
    await expect.poll(() => el.dataset.count, { timeout: 5000 }).toBe('1');
    expect(shadow(el).querySelector('.count')?.textContent).toMatch(/1 watching\s*\(peak 1\)/);
    expect(shadow(other).querySelector('button')).toBeNull();

    (shadow(el).querySelector('button') as HTMLButtonElement).click();
    await expect
      .poll(() => [...shadow(el).querySelectorAll('li')].map((li) => li.textContent).sort())
      .toEqual(['Counted']);

    other.remove();
    viewer.destroy();
    await expect.poll(() => el.dataset.count, { timeout: 5000 }).toBe('0');
    expect(shadow(el).querySelector('.peak')?.textContent).toBe('(peak 1)');
  });
});
