import { css } from 'lit';

/** Styles of `<onair-remind-button>`: its custom property and its default on `:host`. */
export const remindButtonStyles = css`
  :host {
    --onair-remind-accent: var(--_brand);
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    font: 14px/1.4 var(--_font);
  }
  [part='button'] {
    font: inherit;
    font-weight: 600;
    border-radius: 1em;
    padding: 0.3em 0.9em;
    cursor: pointer;
    border: 1px solid var(--onair-remind-accent);
    background: var(--onair-remind-accent);
    color: var(--_on-brand);
  }
  [aria-pressed='true'] {
    background: none;
    color: var(--onair-remind-accent);
  }
  [aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  [part='button']:focus-visible {
    outline: 2px solid var(--onair-remind-accent);
    outline-offset: 2px;
  }
  [part='error'] {
    font-size: 12px;
  }
`;
