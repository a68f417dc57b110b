import { html } from 'lit';
import { afterEach, describe, expect, it } from 'vitest';
import { mount } from '../test-support.js';
import { registerTranslation, translateWith } from './i18n.js';
import { defineElement, OnAirElement } from './onair-element.js';

/** An element that shows two main strings, one with a placeholder. */
class I18nProbeElement extends OnAirElement {
  override render() {
    return html`${this.t('play')} / ${this.t('behindLive', { n: 3 })}`;
  }
}
defineElement('i18n-probe', I18nProbeElement);

/** Mounts a probe under `lang` and returns it once rendered. */
async function probe(lang: string): Promise<I18nProbeElement> {
  const element = mount(`<div lang="${lang}"><i18n-probe></i18n-probe></div>`).querySelector(
    'i18n-probe',
  ) as I18nProbeElement;
  await element.updateComplete;
  return element;
}

const text = (element: Element) => element.shadowRoot?.textContent?.trim();

/*
 * The registry is per page and this file has a page of its own: the tests run
 * in order, English only until the Spanish entry is imported.
 */
describe('translations', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('speaks English by default, and under a language nobody registered', async () => {
    expect(text(await probe('en'))).toBe('Play / 3 s behind live');
    const spanish = await probe('es');
    expect(text(spanish)).toBe('Play / 3 s behind live');
    expect(translateWith(spanish, 'analytics.retry', 'Try again')).toBe('Try again');
  });

  it('speaks Spanish once the es entry is imported, re-rendering elements already shown', async () => {
    const shown = await probe('es');
    expect(text(shown)).toBe('Play / 3 s behind live');
    await import('../translations/es.js');
    await shown.updateComplete;
    expect(text(shown)).toBe('Reproducir / 3 s por detrás del directo');
    expect(translateWith(shown, 'analytics.retry', 'Try again')).toBe('Reintentar');
    expect(text(await probe('en'))).toBe('Play / 3 s behind live');
  });

  it('falls back from a regional language to its base language', async () => {
    expect(text(await probe('es-MX'))).toBe('Reproducir / 3 s por detrás del directo');
  });

  it("takes a host's language, falling back to English for the keys it lacks", async () => {
    const shown = await probe('fr-CA');
    registerTranslation('fr', { play: 'Lire' });
    await shown.updateComplete;
    expect(text(shown)).toBe('Lire / 3 s behind live');
    registerTranslation('FR', { behindLive: '{n} s de retard' });
    registerTranslation('fr-ca', { play: 'Jouer' });
    await shown.updateComplete;
    expect(text(shown)).toBe('Jouer / 3 s de retard');
    expect(text(await probe('fr'))).toBe('Lire / 3 s de retard');
  });
});
