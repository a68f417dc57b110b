import { css } from 'lit';

/** Styles of `<onair-clip-button>`: its custom properties and their defaults on `:host`. */
export const clipButtonStyles = css`
  :host {
    --onair-clip-accent: var(--_brand);
    --onair-clip-poster-width: 96px;
    display: inline-flex;
    flex-direction: column;
    gap: 0.4em;
    font: 14px/1.4 var(--_font);
  }
  button {
    font: inherit;
    border-radius: 1em;
    padding: 0.3em 0.9em;
    cursor: pointer;
    border: 1px solid var(--onair-clip-accent);
    background: none;
    color: var(--onair-clip-accent);
  }
  [part='button'] {
    font-weight: 600;
    background: var(--onair-clip-accent);
    color: var(--_on-brand);
  }
  [aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--onair-clip-accent);
    outline-offset: 2px;
  }
  [part='result'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em;
  }
  [part='poster'] {
    width: var(--onair-clip-poster-width);
    aspect-ratio: 16 / 9;
    object-fit: cover;
    border-radius: calc(var(--_r) / 2);
    background: var(--onair-clip-poster-background, #222);
  }
  a {
    color: var(--onair-clip-accent);
  }
  small {
    color: var(--_dim);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  [part='status'] {
    font-size: 12px;
  }
  [role='alert'] {
    color: var(--_danger);
    font-size: 12px;
  }
`;
