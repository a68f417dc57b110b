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
    padding: 0.75rem 1rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
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
    margin: 1rem 0 0.4rem;
  }
  .live {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
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
    margin: 0.75rem 0 0;
  }
  .alert {
    color: var(--_error);
    margin: 0.75rem 0 0;
  }
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--_tile-width), 1fr));
    gap: 0.5rem;
    margin: 0;
  }
  .tile {
    display: flex;
    flex-direction: column-reverse;
    justify-content: flex-end;
    gap: 0.15rem;
    padding: 0.5rem 0.65rem;
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
    padding: 0.3rem 0.7rem;
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
    margin-bottom: 0.25rem;
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
    padding: 0.1rem 0.5rem 0.1rem 0;
  }
`;
