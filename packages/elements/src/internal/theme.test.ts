import { afterEach, describe, expect, it } from 'vitest';
import type { OnAirStreamSummaryElement } from '../analytics/stream-summary.component.js';
import '../analytics/onair-analytics.js';
import type { OnAirStreamCardElement } from '../stream-card/stream-card.component.js';
import '../stream-card/onair-stream-card.js';
import { createStream, mount, signedInClient } from '../test-support.js';
import { themeStyles } from './theme.styles.js';

/* The light and dark palette: from the page's color-scheme, or the element's theme attribute. */

afterEach(() => {
  document.body.innerHTML = '';
});

const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(34, 34, 34)';

/** A stream card on a page styled `pageStyle`, once rendered. */
async function card(pageStyle: string, attributes = ''): Promise<OnAirStreamCardElement> {
  const client = await signedInClient('Themed');
  const stream = await createStream(client, true);
  client.destroy();
  const el = mount(
    `<div style="${pageStyle}"><onair-stream-card ${attributes}></onair-stream-card></div>`,
  ).querySelector('onair-stream-card') as OnAirStreamCardElement;
  el.stream = stream;
  await el.updateComplete;
  return el;
}

const background = (el: HTMLElement) =>
  getComputedStyle(el.shadowRoot?.querySelector('article') as Element).backgroundColor;
const foreground = (el: HTMLElement) =>
  getComputedStyle(el.shadowRoot?.querySelector('article') as Element).color;
const SYSTEM = matchMedia('(prefers-color-scheme: dark)').matches ? DARK : LIGHT;

describe('light and dark', () => {
  it("is light unless the page sets --onair-color-scheme; the page's own color-scheme does not switch it", async () => {
    expect(background(await card(''))).toBe(LIGHT);
    expect(background(await card('color-scheme: dark'))).toBe(LIGHT);
    const dark = await card('--onair-color-scheme: dark');
    expect(background(dark)).toBe(DARK);
    expect(foreground(dark)).toBe('rgb(238, 238, 238)');
    expect(background(await card('--onair-color-scheme: light dark'))).toBe(SYSTEM);
  });

  it('lets the theme attribute (or property) override the page, and auto follow the system', async () => {
    expect(background(await card('--onair-color-scheme: dark', 'theme="light"'))).toBe(LIGHT);
    expect(background(await card('', 'theme="dark"'))).toBe(DARK);
    expect(background(await card('--onair-color-scheme: dark', 'theme="auto"'))).toBe(SYSTEM);
    const el = await card('');
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).toBe('dark');
    expect(background(el)).toBe(DARK);
  });

  it("takes the page's accent and the text on it once for every element, in either scheme", async () => {
    const page = '--onair-accent: rgb(0, 170, 119); --onair-accent-foreground: rgb(0, 0, 0)';
    for (const el of [await card(page), await card(`${page}; --onair-color-scheme: dark`)]) {
      const style = getComputedStyle(el);
      expect(style.getPropertyValue('--_brand').trim()).toBe('rgb(0, 170, 119)');
      expect(style.getPropertyValue('--_on-brand').trim()).toBe('rgb(0, 0, 0)');
    }
    expect(getComputedStyle(await card('')).getPropertyValue('--_brand')).toMatch(/^light-dark/);
  });

  it("takes the page's corners and typeface once for every element; its own radius still wins", async () => {
    const article = (el: HTMLElement) =>
      getComputedStyle(el.shadowRoot?.querySelector('article') as Element);
    const plain = await card('');
    expect(article(plain).borderTopLeftRadius).toBe('8px');
    expect(getComputedStyle(plain).fontFamily).toBe('system-ui, sans-serif');
    const themed = await card('--onair-radius: 0px; --onair-font-family: Georgia, serif');
    expect(article(themed).borderTopLeftRadius).toBe('0px');
    expect(getComputedStyle(themed).fontFamily).toBe('Georgia, serif');
    const own = await card('--onair-radius: 0px', 'style="--onair-card-radius: 12px"');
    expect(article(own).borderTopLeftRadius).toBe('12px');
  });

  it('keeps a colour the page sets on the element, in either scheme', async () => {
    const el = await card(
      '--onair-color-scheme: dark',
      'style="--onair-card-background: rgb(1, 2, 3)"',
    );
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
    el.style.setProperty('--onair-stream-summary-sparkline-line', 'none');
    expect(colour('--onair-stream-summary-sparkline-line')).toBe('rgb(255, 0, 0)');
  });

  it('gives browsers without light-dark() the light value of every colour', () => {
    const text = themeStyles.cssText;
    const [main = '', fallback = ''] = text.split('@supports not (color:');
    // A page's own value (var(--onair-accent, …)) stays first in both.
    const pairs = [
      ...main.matchAll(/(--_[\w-]+):\s*(var\(--[\w-]+,\s*)?light-dark\(((?:[^(),]|\([^)]*\))+),/g),
    ].map(([, name, page, light]) => [name, page ? `${page}${light?.trim()})` : light?.trim()]);
    expect(pairs.length).toBeGreaterThan(10);
    const fallbacks = Object.fromEntries(
      [...fallback.matchAll(/(--_[\w-]+):\s*([^;}]+)/g)].map(([, name, value]) => [
        name,
        value?.trim(),
      ]),
    );
    expect(fallbacks).toEqual(Object.fromEntries(pairs));
  });
});

describe('text for screen readers only', () => {
  it('is out of sight in every element, by the one .visually-hidden rule of the base styles', async () => {
    const el = await card('');
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = 'Read, not seen';
    el.shadowRoot?.append(hidden);
    const box = hidden.getBoundingClientRect();
    expect(box.width).toBeLessThanOrEqual(1);
    expect(box.height).toBeLessThanOrEqual(1);
    expect(getComputedStyle(hidden).clipPath).toBe('inset(50%)');
  });
});

describe('spacing', () => {
  it('scales every padding, gap and margin with the inherited --onair-spacing unit', async () => {
    const body = (el: HTMLElement) =>
      getComputedStyle(el.shadowRoot?.querySelector('.body') as Element);
    // 0.25rem by default: the card's body is padded 0.5rem (8px) above and 0.75rem on the sides.
    const plain = body(await card(''));
    expect([plain.paddingTop, plain.paddingLeft]).toEqual(['8px', '12px']);
    const airy = body(await card('--onair-spacing: 6px'));
    expect([airy.paddingTop, airy.paddingLeft]).toEqual(['12px', '18px']);
  });
});

describe('the player over video', () => {
  it('takes its translucent scrims and controls from custom properties', async () => {
    await import('../player/onair-player.js');
    const el = mount(
      '<onair-player style="--onair-player-bar-scrim: rgb(0 0 80 / 0.5); --onair-player-control: rgb(200 0 0 / 0.5)"></onair-player>',
    ).querySelector('onair-player') as HTMLElement & { updateComplete: Promise<boolean> };
    await el.updateComplete;
    const root = el.shadowRoot as ShadowRoot;
    const bar = getComputedStyle(root.querySelector('.controls') as Element);
    expect(bar.backgroundImage).toContain('rgba(0, 0, 80, 0.5)');
    const button = root.querySelector('.controls button') as Element;
    expect(getComputedStyle(button).backgroundColor).toBe('rgba(200, 0, 0, 0.5)');
  });
});
