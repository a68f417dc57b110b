import { css } from 'lit';

/** Shared look of the audience panels (Q&A, poll, viewer count): a card with a header. */
export const panelStyles = css`
  :host {
    --onair-panel-background: #fff;
    --onair-panel-foreground: #111;
    --onair-panel-muted: #666;
    --onair-panel-accent: #5b3cc4;
    --onair-panel-error: #b00020;
    display: block;
    background: var(--onair-panel-background);
    color: var(--onair-panel-foreground);
    font: 14px/1.4 system-ui, sans-serif;
    border: 1px solid #ddd;
    border-radius: 8px;
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid #eee;
    font-weight: 600;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: 4px;
    padding: 0.35rem 0.7rem;
    background: var(--onair-panel-accent);
    color: #fff;
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
    color: #fff;
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
    border: 1px solid #ccc;
    border-radius: 4px;
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
