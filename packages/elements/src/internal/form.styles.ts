import { css } from 'lit';

/** Form layout shared by the scheduler and the settings panel. */
export const formStyles = css`
  :host {
    --onair-form-accent: var(--_brand);
    --onair-form-error: var(--_danger);
    display: block;
    font: 14px/1.4 var(--_font);
    color: var(--_fg);
  }
  form {
    display: grid;
    gap: calc(var(--_s) * 3);
    max-width: 36rem;
  }
  label {
    display: grid;
    gap: var(--_s);
    font-weight: 600;
  }
  label.inline {
    display: flex;
    gap: calc(var(--_s) * 2);
    align-items: center;
    font-weight: 400;
  }
  input,
  select,
  textarea {
    font: inherit;
    font-weight: 400;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 2);
    border: 1px solid var(--_field);
    border-radius: calc(var(--_r) / 2);
  }
  [aria-invalid='true'] {
    border-color: var(--onair-form-error);
  }
  .row {
    display: flex;
    gap: calc(var(--_s) * 2);
    flex-wrap: wrap;
  }
  button {
    font: inherit;
    padding: calc(var(--_s) * 1.8) calc(var(--_s) * 4);
    border-radius: calc(var(--_r) / 2);
    border: 0;
    background: var(--onair-form-accent);
    color: var(--_on-brand);
    cursor: pointer;
  }
  button.secondary {
    background: var(--_soft);
    color: var(--_fg);
  }
  button:disabled {
    opacity: 0.6;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--onair-form-accent);
    outline-offset: 1px;
  }
  .error {
    color: var(--onair-form-error);
  }
  .key {
    display: grid;
    gap: calc(var(--_s) * 1.4);
    padding: calc(var(--_s) * 3);
    border: 1px dashed var(--onair-form-accent);
    border-radius: calc(var(--_r) * 0.75);
  }
  .key input {
    font-family: ui-monospace, monospace;
  }
  fieldset {
    border: 1px solid var(--_line);
    border-radius: calc(var(--_r) * 0.75);
    display: grid;
    gap: calc(var(--_s) * 2);
  }
`;
