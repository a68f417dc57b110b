import { css } from 'lit';
import { deviceMenuStyles } from '../internal/device-menu.js';

const ownStyles = css`
  :host {
    --onair-stage-join-accent: #e5193b;
    --onair-stage-join-foreground: inherit;
    --onair-stage-join-muted: var(--_dim);
    --onair-stage-join-radius: var(--_r);
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: calc(var(--_s) * 2);
    color: var(--onair-stage-join-foreground);
    font: 14px/1.4 var(--_font);
  }
  :host([data-step='unavailable']) {
    display: none;
  }
  .note {
    margin: 0;
    color: var(--onair-stage-join-muted);
  }
  button {
    font: inherit;
    font-weight: 600;
    padding: calc(var(--_s) * 1.8) calc(var(--_s) * 3.6);
    border-radius: var(--onair-stage-join-radius);
    border: 1px solid currentColor;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  button.primary {
    background: var(--onair-stage-join-accent);
    border-color: var(--onair-stage-join-accent);
    color: #fff;
  }
  button:focus-visible {
    outline: 2px solid var(--onair-stage-join-accent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  video {
    width: min(100%, 320px);
    aspect-ratio: 16 / 9;
    object-fit: cover;
    border-radius: var(--onair-stage-join-radius);
    background: #000;
    transform: scaleX(-1);
  }
  meter {
    width: min(100%, 320px);
  }
  [part='devices'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_s) * 2);
    max-width: 320px;
  }
  .pick {
    font-weight: normal;
    border-color: var(--_field);
  }
  .actions {
    display: flex;
    gap: calc(var(--_s) * 2);
  }
  .alert {
    margin: 0;
    color: var(--onair-stage-join-accent);
  }
`;

export const stageJoinStyles = [deviceMenuStyles, ownStyles];
