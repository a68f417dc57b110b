import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-poll.js';
import type { OnAirPollElement } from './poll.component.js';

const shadow = (el: OnAirPollElement) => el.shadowRoot as ShadowRoot;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('<onair-poll>', () => {
  it('lets the host start a poll, viewers vote once and everyone sees the results', async () => {
    const host = await signedInClient('Pollster');
    const stream = await createStream(host, true);
    const viewer = await signedInClient('Voter');
    const [hostPoll, viewerPoll] = [
      '<onair-poll can-moderate></onair-poll>',
      '<onair-poll></onair-poll>',
    ].map((html) => mount(html).querySelector('onair-poll') as OnAirPollElement) as [
      OnAirPollElement,
      OnAirPollElement,
    ];
    hostPoll.client = host;
    viewerPoll.client = viewer;
    hostPoll.streamId = viewerPoll.streamId = stream.id;
    await expect.poll(() => viewerPoll.dataset.poll, { timeout: 10_000 }).toBe('none');
    expect(shadow(viewerPoll).querySelector('form')).toBeNull();

    const form = shadow(hostPoll).querySelector('form') as HTMLFormElement;
    (form.elements.namedItem('question') as HTMLInputElement).value = 'Next topic?';
    (form.elements.namedItem('options') as HTMLTextAreaElement).value = 'Caching\nTesting\n\n';
    form.requestSubmit();
    await expect.poll(() => viewerPoll.dataset.poll, { timeout: 5000 }).toBe('open');
    const options = () => [...shadow(viewerPoll).querySelectorAll<HTMLButtonElement>('.option')];
    expect(options().map((o) => o.textContent?.trim())).toEqual(['Caching', 'Testing']);

    const voted = new Promise<CustomEvent>((resolve) =>
      viewerPoll.addEventListener('onair-poll-voted', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    options()[1]?.click();
    expect((await voted).detail.option).toBe(1);
    await expect
      .poll(() => options()[1]?.getAttribute('aria-label'))
      .toBe('Testing: 100% (1 votes), your vote');
    expect(options().every((o) => o.disabled)).toBe(true);
    // Results read as results: the bar fills from the option's edge behind its text, at full opacity.
    const [bar, text] = [...(options()[1] as HTMLButtonElement).querySelectorAll('span')];
    const button = options()[1] as HTMLButtonElement;
    expect(bar?.getBoundingClientRect().left).toBe(button.getBoundingClientRect().left);
    expect(bar?.getBoundingClientRect().width).toBe(button.getBoundingClientRect().width);
    expect(text?.getBoundingClientRect().left).toBeLessThan(
      button.getBoundingClientRect().left + 20,
    );
    expect(getComputedStyle(button).opacity).toBe('1');
    await expect
      .poll(() => shadow(hostPoll).querySelector('.option[data-index="1"] .share')?.textContent)
      .toBe('100%');

    (shadow(hostPoll).querySelector('[data-action="close"]') as HTMLButtonElement).click();
    await expect.poll(() => viewerPoll.dataset.poll).toBe('closed');
  });
});
