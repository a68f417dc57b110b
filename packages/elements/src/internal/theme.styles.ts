import { css } from 'lit';

/**
 * The light and dark palette every element starts from (the base class adds
 * it first). Each colour is `light-dark(light, dark)`, so an element follows
 * the `color-scheme` it inherits from the page (`color-scheme: light dark`
 * follows the system's `prefers-color-scheme`), unless its `theme` attribute
 * says `light`, `dark` or `auto` (the system's). The elements' own custom
 * properties (`--onair-chat-background`, ...) default to these, so a page
 * still overrides one colour at a time. The `--_` names are private.
 */
export const themeStyles = css`
  :host {
    --_bg: light-dark(#fff, #222);
    --_fg: light-dark(#111, #eee);
    --_dim: light-dark(#666, #aaa);
    --_line: light-dark(#ddd, #444);
    --_soft: light-dark(#eee, #333);
    --_field: light-dark(#ccc, #777);
    --_brand: light-dark(#5b3cc4, #baf);
    --_on-brand: light-dark(#fff, #222);
    --_danger: light-dark(#b00020, #f89);
    --_ok: light-dark(#197b43, #6d9);
    --_tint: light-dark(#f4f0ff, #324);
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
`;
