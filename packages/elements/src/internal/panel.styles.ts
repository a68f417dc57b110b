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
    gap: calc(var(--_s) * 2);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
    border-bottom: 1px solid var(--_soft);
    font-weight: 600;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 1.4) calc(var(--_s) * 2.8);
    background: var(--onair-panel-accent);
    color: var(--_on-brand);
    cursor: pointer;
  }
  button.link {
    background: none;
    color: var(--onair-panel-accent);
    padding: var(--_s);
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
    padding: calc(var(--_s) * 1.4) calc(var(--_s) * 2);
    border: 1px solid var(--_field);
    border-radius: calc(var(--_r) / 2);
    box-sizing: border-box;
    width: 100%;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_s) * 1.6);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
  }
  .error {
    color: var(--onair-panel-error);
    padding: 0 calc(var(--_s) * 3) calc(var(--_s) * 2);
  }
  .empty {
    color: var(--onair-panel-muted);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
  }
`;
