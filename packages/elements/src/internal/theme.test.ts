import { afterEach, describe, expect, it } from 'vitest';
import type { OnAirStreamSummaryElement } from '../analytics/stream-summary.component.js';
import '../analytics/onair-analytics.js';
import type { OnAirStreamCardElement } from '../stream-card/stream-card.component.js';
import '../stream-card/onair-stream-card.js';
import { createStream, mount, signedInClient } from '../test-support.js';

/* The light and dark palette: from the page's color-scheme, or the element's theme attribute. */

afterEach(() => {
  document.body.innerHTML = '';
});

const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(34, 34, 34)';

/** A stream card on a page of `scheme` (its wrapper's color-scheme), once rendered. */
async function card(scheme: string, attributes = ''): Promise<OnAirStreamCardElement> {
  const client = await signedInClient('Themed');
  const stream = await createStream(client, true);
  client.destroy();
  const el = mount(
    `<div style="color-scheme: ${scheme}"><onair-stream-card ${attributes}></onair-stream-card></div>`,
  ).querySelector('onair-stream-card') as OnAirStreamCardElement;
  el.stream = stream;
  await el.updateComplete;
  return el;
}

const background = (el: HTMLElement) =>
  getComputedStyle(el.shadowRoot?.querySelector('article') as Element).backgroundColor;
const foreground = (el: HTMLElement) =>
  getComputedStyle(el.shadowRoot?.querySelector('article') as Element).color;

describe('light and dark', () => {
  it("follows the page's color-scheme: light when it declares none, dark on a dark page", async () => {
    expect(background(await card('normal'))).toBe(LIGHT);
    const dark = await card('dark');
    expect(background(dark)).toBe(DARK);
    expect(foreground(dark)).toBe('rgb(238, 238, 238)');
  });

  it('lets the theme attribute override the page, and auto follow the system', async () => {
    expect(background(await card('dark', 'theme="light"'))).toBe(LIGHT);
    expect(background(await card('light', 'theme="dark"'))).toBe(DARK);
    const system = matchMedia('(prefers-color-scheme: dark)').matches ? DARK : LIGHT;
    expect(background(await card('light', 'theme="auto"'))).toBe(system);
  });

  it('keeps a colour the page sets on the element, in either scheme', async () => {
    const el = await card('dark', 'style="--onair-card-background: rgb(1, 2, 3)"');
    expect(background(el)).toBe('rgb(1, 2, 3)');
  });

  it("resolves the charts' colours to plain ones in the element's scheme (canvas takes no light-dark())", () => {
    const el = mount('<onair-stream-summary theme="dark"></onair-stream-summary>').querySelector(
      'onair-stream-summary',
    ) as OnAirStreamSummaryElement;
    const colour = (property: string) =>
      (el as unknown as { cssValue(p: string, f: string): string }).cssValue(property, 'red');
    expect(colour('--onair-stream-summary-sparkline-line')).toBe('rgb(187, 170, 255)');
    el.setAttribute('theme', 'light');
    expect(colour('--onair-stream-summary-sparkline-line')).toBe('rgb(91, 60, 196)');
    expect(colour('--onair-stream-summary-sparkline-fill')).toBe('rgba(91, 60, 196, 0.12)');
    expect(colour('--not-set')).toBe('rgb(255, 0, 0)');
  });
});
