import type { OnAirClient } from '@onair/core';
import { type CSSResultGroup, LitElement, type PropertyDeclarations } from 'lit';
import type { OnAirEventMap, OnAirEventName } from './events.js';
import { connectedElements, type MessageKey, translateWith } from './i18n.js';
import { themeStyles } from './theme.styles.js';

/**
 * Base of every OnAir element (`OnAirElement` adds the main catalog's
 * English; the stage elements extend this one with their own, so that their
 * pages do not carry it): the `client` property, strings in the
 * element's language, the typed `onair-*` events, and the light and dark
 * palette: light unless the page sets `--onair-color-scheme` (`dark`, or
 * `light dark` to follow the system) or the element's `theme` says otherwise.
 *
 * @cssproperty --onair-color-scheme - The elements' scheme when `theme` is unset: `light` (default), `dark`, or `light dark` (the system's). Inherited: set it once on `:root`.
 * @cssproperty --onair-accent - The brand colour of every element's buttons, links and highlights, in both schemes (an element's own `--onair-*-accent` still wins; the player's, broadcaster's and live marks' red is not it). Inherited.
 * @cssproperty --onair-accent-foreground - Text and icons on the accent (white in light, near-black in dark by default): set it with a light accent. Inherited.
 * @cssproperty --onair-radius - Every element's corner radius (8px; the controls inside take a half of it, `0` squares everything; an element's own `--onair-*-radius` still wins). Inherited.
 * @cssproperty --onair-font-family - Every element's typeface (the system's: `system-ui, sans-serif`). Inherited.
 * @cssproperty --onair-spacing - The spacing unit (0.25rem): the paddings, gaps and margins inside the elements are multiples of it, so `0.2rem` makes them all denser and `0.3rem` airier (the small inline controls, follow, remind, clip and the bell, are spaced in `em` instead: they follow the text around them). Inherited.
 */
export class OnAirElementBase extends LitElement {
  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    theme: { reflect: true },
  };

  /**
   * The OnAir client (signed in where the element acts for a user). The
   * elements that only show what they are given (`<onair-stream-card>`,
   * `<onair-stats>`) do not use it.
   */
  declare client: OnAirClient | undefined;

  /**
   * The element's colour scheme: `light`, `dark`, or `auto` (the system's
   * `prefers-color-scheme`). Unset, the page's `--onair-color-scheme`, else light.
   */
  declare theme: 'light' | 'dark' | 'auto' | undefined;

  /** Every element's styles start from the shared light and dark palette. */
  protected static override finalizeStyles(styles?: CSSResultGroup) {
    // biome-ignore lint/complexity/noThisInStatic: Lit's own finalizeStyles, whatever it reads
    return super.finalizeStyles([themeStyles, styles ?? []]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    connectedElements.add(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connectedElements.delete(this);
  }

  /**
   * The element's strings in English by key, where `t` finds them: the main
   * catalog's (`OnAirElement`), or the stage elements' own.
   */
  protected static english: Partial<Record<MessageKey, string>> = {};

  /**
   * `key` translated for the element's language (its closest `lang`), English
   * otherwise (the class's `english`).
   */
  protected t(key: MessageKey, vars?: Record<string, string | number>): string {
    const english = (this.constructor as typeof OnAirElementBase).english[key] ?? key;
    return translateWith(this, key, english, vars);
  }

  /**
   * Dispatches one of the {@link OnAirEventMap} events from the element:
   * bubbling, composed and cancelable. False when a listener cancelled it.
   */
  protected emit<K extends OnAirEventName>(name: K, detail: OnAirEventMap[K]['detail']): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }),
    );
  }
}

/** Defines a custom element once, and only where custom elements exist (SSR-safe). */
export function defineElement(name: string, elementClass: CustomElementConstructor): void {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;
  customElements.define(name, elementClass);
}
