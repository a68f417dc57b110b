import { css } from 'lit';

/**
 * The light and dark palette every element starts from (the base class adds
 * it first). Each colour is `light-dark(light, dark)`, picked by the element's
 * `color-scheme`: its `theme` attribute (`light`, `dark`, `auto` for the
 * system's `prefers-color-scheme`), else the page's `--onair-color-scheme`
 * (inherited: one declaration on `:root` sets every element), else light. A
 * page's own `color-scheme` does not switch the elements: a page that themed
 * some colours for light and declares `color-scheme: light dark` for its own
 * controls keeps the light elements it designed for. The elements' custom
 * properties (`--onair-chat-background`, ...) default to these, so a page
 * still overrides one colour at a time. The `--_` names are private.
 */
export const themeStyles = css`
  :host {
    color-scheme: var(--onair-color-scheme, light);
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
