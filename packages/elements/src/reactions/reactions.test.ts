import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-reactions.js';
import type { OnAirReactionsElement } from './reactions.component.js';

const shadow = (el: OnAirReactionsElement) => el.shadowRoot as ShadowRoot;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('<onair-reactions>', () => {
  it('sends a reaction that floats for every viewer, and reports the rate limit', async () => {
    const host = await signedInClient('Reactor host');
    const stream = await createStream(host, true);
    const viewer = await signedInClient('Reactor');
    const [mine, theirs] = [
      '<onair-reactions></onair-reactions>',
      '<onair-reactions no-picker></onair-reactions>',
    ].map((html) => mount(html).querySelector('onair-reactions') as OnAirReactionsElement) as [
      OnAirReactionsElement,
      OnAirReactionsElement,
    ];
    mine.client = viewer;
    mine.streamId = stream.id;
    theirs.client = host;
    theirs.streamId = stream.id;
    expect(shadow(theirs).querySelector('.picker')).toBeNull();
    const buttons = () => [...shadow(mine).querySelectorAll<HTMLButtonElement>('.picker button')];
    await expect.poll(() => buttons().length).toBe(6);
    expect(buttons()[2]?.getAttribute('aria-label')).toBe('React with 🎉');
    // Both are in the stream's room (the elements hold it; a second lease shares it).
    for (const client of [viewer, host]) {
      const lease = client.realtime.holdRoom(stream.id);
      await lease.joined;
      lease.release();
    }
    buttons()[2]?.click();
    await expect
      .poll(() => shadow(theirs).querySelector('.float')?.getAttribute('data-emoji'), {
        timeout: 5000,
      })
      .toBe('🎉');
    // 10 per burst by default: the 12th in a row is refused with a visible notice.
    for (let i = 0; i < 12; i++) buttons()[0]?.click();
    await expect
      .poll(() => shadow(mine).querySelector('[role="alert"]')?.getAttribute('data-code'), {
        timeout: 5000,
      })
      .toBe('RATE_LIMITED');
    // Floating reactions leave again.
    await expect.poll(() => theirs.dataset.floating, { timeout: 6000 }).toBe('0');
  });
});
