import { css } from 'lit';

/**
 * What `<onair-analytics>` and `<onair-stream-summary>` share: tiles, the
 * live badge, states, charts and their hidden tables. Each element maps its
 * own custom properties onto the `--_…` names in its `:host`.
 */
export const reportStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    background: var(--_background);
    color: var(--_foreground);
    font: 14px/1.4 var(--_font);
    border: 1px solid var(--_border);
    border-radius: var(--_r);
    padding: calc(var(--_s) * 3) calc(var(--_s) * 4);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_s) * 2) calc(var(--_s) * 3);
  }
  h2 {
    font-size: 1rem;
    margin: 0;
    margin-inline-end: auto;
  }
  h3 {
    font-size: 0.8rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_muted);
    margin: calc(var(--_s) * 4) 0 calc(var(--_s) * 1.6);
  }
  .live {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_s) * 1.2);
    font-size: 11px;
    font-weight: 700;
    letter-spacing: 0.05em;
    color: var(--_live);
  }
  .live::before {
    content: '';
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: currentColor;
  }
  .muted,
  .status {
    color: var(--_muted);
  }
  .status {
    margin: calc(var(--_s) * 3) 0 0;
  }
  .alert {
    color: var(--_error);
    margin: calc(var(--_s) * 3) 0 0;
  }
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--_tile-width), 1fr));
    gap: calc(var(--_s) * 2);
    margin: 0;
  }
  .tile {
    display: flex;
    flex-direction: column-reverse;
    justify-content: flex-end;
    gap: calc(var(--_s) * 0.6);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 2.6);
    border-radius: calc(var(--_r) * 0.75);
    background: var(--_tile-background);
  }
  dt {
    font-size: 12px;
    color: var(--_muted);
  }
  dd {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .tile[data-level='fair'] dd {
    color: var(--_fair);
  }
  .tile[data-level='poor'] dd {
    color: var(--_poor);
  }
  button {
    font: inherit;
    border: 1px solid var(--_accent);
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2.8);
    background: var(--_accent);
    color: var(--_accent-foreground);
    cursor: pointer;
  }
  button.link {
    background: none;
    color: var(--_accent);
    border-color: transparent;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  figure {
    margin: 0;
    min-width: 0;
  }
  figcaption {
    font-size: 12px;
    color: var(--_muted);
    margin-bottom: var(--_s);
  }
  .plot {
    position: relative;
    width: 100%;
    overflow: hidden;
  }
  table {
    border-collapse: collapse;
    font-size: 12px;
  }
  th,
  td {
    text-align: start;
    padding: calc(var(--_s) * 0.4) calc(var(--_s) * 2) calc(var(--_s) * 0.4) 0;
  }
`;
