import { css } from 'lit';

/** Styles of `<onair-stage-manager>`; its custom properties are set on `:host` with their defaults. */
export const stageManagerStyles = css`
  :host {
    --onair-stage-manager-background: var(--_bg);
    --onair-stage-manager-foreground: var(--_fg);
    --onair-stage-manager-muted: var(--_dim);
    --onair-stage-manager-accent: var(--_brand);
    --onair-stage-manager-danger: var(--_danger);
    --onair-stage-manager-live: var(--_ok);
    --onair-stage-manager-radius: var(--_r);
    display: block;
    background: var(--onair-stage-manager-background);
    color: var(--onair-stage-manager-foreground);
    font: 14px/1.4 var(--_font);
    border: 1px solid var(--_line);
    border-radius: var(--onair-stage-manager-radius);
  }
  section + section,
  .layout,
  .invite {
    border-top: 1px solid var(--_soft);
  }
  h2 {
    display: flex;
    align-items: center;
    gap: calc(var(--_s) * 1.6);
    margin: 0;
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
    font-size: 1em;
    font-weight: 600;
  }
  .count {
    font-weight: 400;
    color: var(--onair-stage-manager-muted);
    font-variant-numeric: tabular-nums;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0 0 var(--_s);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_s) calc(var(--_s) * 3);
    padding: calc(var(--_s) * 1.4) calc(var(--_s) * 3);
  }
  .row[aria-busy='true'] {
    opacity: 0.7;
  }
  .who {
    display: grid;
    min-width: 0;
  }
  .name {
    font-weight: 500;
    overflow-wrap: anywhere;
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_s) * 0.8) calc(var(--_s) * 2.4);
    font-size: 12px;
    color: var(--onair-stage-manager-muted);
  }
  .sending::before {
    content: '';
    display: inline-block;
    width: 0.5em;
    height: 0.5em;
    margin-inline-end: 0.3em;
    border-radius: 50%;
    border: 1px solid currentColor;
    vertical-align: 0.05em;
  }
  .sending.live {
    color: var(--onair-stage-manager-live);
  }
  .sending.live::before {
    background: currentColor;
  }
  .muted-mark {
    color: var(--onair-stage-manager-danger);
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_s) * 1.6);
  }
  button {
    font: inherit;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2.8);
    border: 1px solid var(--_field);
    border-radius: calc(var(--onair-stage-manager-radius) / 2);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  button.primary {
    border-color: var(--onair-stage-manager-accent);
    background: var(--onair-stage-manager-accent);
    color: var(--_on-brand);
  }
  button.danger {
    border-color: var(--onair-stage-manager-danger);
    color: var(--onair-stage-manager-danger);
  }
  button:disabled,
  input:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible,
  h2:focus-visible {
    outline: 2px solid var(--onair-stage-manager-accent);
    outline-offset: 2px;
  }
  h2:focus:not(:focus-visible) {
    outline: none;
  }
  .layout {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: calc(var(--_s) * 1.6);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
  }
  .layout #layout-title {
    font-weight: 600;
  }
  .choices {
    display: inline-flex;
  }
  .choices button + button {
    margin-inline-start: -1px;
  }
  .choices button[aria-pressed='true'] {
    background: var(--onair-stage-manager-accent);
    border-color: var(--onair-stage-manager-accent);
    color: var(--_on-brand);
  }
  .invite {
    display: grid;
    gap: calc(var(--_s) * 1.2);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3) calc(var(--_s) * 3);
  }
  .invite label {
    font-weight: 600;
  }
  .field {
    display: flex;
    gap: calc(var(--_s) * 1.6);
  }
  input {
    flex: 1;
    min-width: 0;
    font: inherit;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2);
    border: 1px solid var(--_field);
    border-radius: calc(var(--onair-stage-manager-radius) / 2);
    background: var(--onair-stage-manager-background);
    color: inherit;
  }
  .empty {
    margin: 0;
    padding: 0 calc(var(--_s) * 3) calc(var(--_s) * 2.4);
    color: var(--onair-stage-manager-muted);
  }
  .alert {
    margin: calc(var(--_s) * 2) calc(var(--_s) * 3) 0;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 2.4);
    border-radius: calc(var(--onair-stage-manager-radius) / 2);
    border: 1px solid var(--onair-stage-manager-danger);
    color: var(--onair-stage-manager-danger);
  }
  @media (forced-colors: active) {
    button.primary {
      border-color: ButtonText;
    }
  }
`;
