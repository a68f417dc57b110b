import { css } from 'lit';

/** Shared look of the audience panels (Q&A, poll, viewer count): a card with a header. */
export const panelStyles = css`
  :host {
    --onair-panel-background: var(--_bg);
    --onair-panel-foreground: var(--_fg);
    --onair-panel-muted: var(--_dim);
    --onair-panel-accent: var(--_brand);
    --onair-panel-error: var(--_danger);
    display: block;
    background: var(--onair-panel-background);
    color: var(--onair-panel-foreground);
    font: 14px/1.4 var(--_font);
    border: 1px solid var(--_line);
    border-radius: var(--_r);
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid var(--_soft);
    font-weight: 600;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: calc(var(--_r) / 2);
    padding: 0.35rem 0.7rem;
    background: var(--onair-panel-accent);
    color: var(--_on-brand);
    cursor: pointer;
  }
  button.link {
    background: none;
    color: var(--onair-panel-accent);
    padding: 0.25rem;
    font-size: 12px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button[aria-pressed='true'] {
    background: var(--onair-panel-accent);
    color: var(--_on-brand);
    opacity: 1;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--onair-panel-accent);
    outline-offset: 1px;
  }
  input,
  textarea {
    font: inherit;
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--_field);
    border-radius: calc(var(--_r) / 2);
    box-sizing: border-box;
    width: 100%;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 0.4rem;
    padding: 0.5rem 0.75rem;
  }
  .error {
    color: var(--onair-panel-error);
    padding: 0 0.75rem 0.5rem;
  }
  .empty {
    color: var(--onair-panel-muted);
    padding: 0.5rem 0.75rem;
  }
`;
