import { css } from 'lit';

/**
 * The declarations that take text out of sight but leave it to screen
 * readers, for a rule of an element's own (a label shown only as an icon in
 * a narrow element). Every element has them as `.visually-hidden` too.
 */
export const hiddenText = css`
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
`;

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
 * still overrides one colour at a time; the accent (`--onair-accent`) and the
 * text on it (`--onair-accent-foreground`) are set for all at once, inherited
 * like the scheme. So are the corners (`--onair-radius`, 8px: controls
 * inside take a half of it, `0` squares them all), the typeface
 * (`--onair-font-family`, the system's) and the spacing unit
 * (`--onair-spacing`, 0.25rem: every padding, gap and margin is a multiple of
 * it, `calc(var(--_s) * 2)`). The `--_` names are private.
 */
export const themeStyles = css`
  :host {
    color-scheme: var(--onair-color-scheme, light);
    --_r: var(--onair-radius, 8px);
    --_font: var(--onair-font-family, system-ui, sans-serif);
    --_s: var(--onair-spacing, 0.25rem);
    --_bg: light-dark(#fff, #222);
    --_fg: light-dark(#111, #eee);
    --_dim: light-dark(#666, #aaa);
    --_line: light-dark(#ddd, #444);
    --_soft: light-dark(#eee, #333);
    --_field: light-dark(#ccc, #777);
    --_brand: var(--onair-accent, light-dark(#5b3cc4, #baf));
    --_on-brand: var(--onair-accent-foreground, light-dark(#fff, #222));
    --_danger: light-dark(#b00020, #f89);
    --_ok: light-dark(#197b43, #6d9);
    --_tint: light-dark(#f4f0ff, #324);
    --_mark: light-dark(#fff3c4, #431);
    --_bar: light-dark(#d9d0ff, #548);
    --_red: light-dark(#e5193b, #f67);
    --_warn: light-dark(#a15c00, #fb2);
    --_fill: light-dark(rgb(91 60 196 / 12%), rgb(180 160 255 / 16%));
    --_grid: light-dark(rgb(0 0 0 / 8%), rgb(255 255 255 / 10%));
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  .visually-hidden {
    ${hiddenText}
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  /* Browsers without light-dark() (Safari before 17.5, Chrome before 123): the light palette, and light native controls to match. */
  @supports not (color: light-dark(#fff, #000)) {
    :host,
    :host([theme]) {
      color-scheme: light;
      --_bg: #fff;
      --_fg: #111;
      --_dim: #666;
      --_line: #ddd;
      --_soft: #eee;
      --_field: #ccc;
      --_brand: var(--onair-accent, #5b3cc4);
      --_on-brand: var(--onair-accent-foreground, #fff);
      --_danger: #b00020;
      --_ok: #197b43;
      --_tint: #f4f0ff;
      --_mark: #fff3c4;
      --_bar: #d9d0ff;
      --_red: #e5193b;
      --_warn: #a15c00;
      --_fill: rgb(91 60 196 / 12%);
      --_grid: rgb(0 0 0 / 8%);
    }
  }
`;
