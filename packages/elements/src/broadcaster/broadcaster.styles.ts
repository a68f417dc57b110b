import { css } from 'lit';
import { confirmDialogStyles } from '../internal/confirm-dialog.js';
import { deviceMenuStyles } from '../internal/device-menu.js';
import { hiddenText } from '../internal/theme.styles.js';

const ownStyles = css`
  :host {
    --onair-broadcaster-accent: #e5193b;
    --onair-broadcaster-background: #111;
    --onair-broadcaster-foreground: #fff;
    --onair-broadcaster-radius: var(--_r);
    --onair-broadcaster-live: #ff6b6b;
    --onair-broadcaster-control: #333;
    --onair-broadcaster-control-active: #555;
    --onair-broadcaster-field: #222;
    --onair-broadcaster-line: #444;
    --onair-broadcaster-ok: #3ad07a;
    --onair-broadcaster-warn: #f0b429;
    --onair-broadcaster-error-background: #5a0b17;
    --onair-dialog-background: var(--onair-broadcaster-background);
    --onair-dialog-foreground: var(--onair-broadcaster-foreground);
    --onair-dialog-radius: var(--onair-broadcaster-radius);
    --onair-dialog-border: var(--onair-broadcaster-line);
    display: block;
    color: var(--onair-broadcaster-foreground);
    background: var(--onair-broadcaster-background);
    border-radius: var(--onair-broadcaster-radius);
    overflow: hidden;
    font: 14px/1.4 var(--_font);
  }
  video {
    width: 100%;
    aspect-ratio: 16 / 9;
    background: #000;
    display: block;
    object-fit: cover;
  }
  section {
    position: relative;
  }
  .lobby,
  .countdown {
    position: absolute;
    inset: 0 0 auto;
    aspect-ratio: 16 / 9;
    display: grid;
    place-content: center;
    justify-items: center;
    padding: calc(var(--_s) * 4);
    text-align: center;
  }
  .countdown {
    font-size: 96px;
    font-weight: 700;
    text-shadow: 0 2px 8px #000;
  }
  .lobby p {
    margin: 0 0 calc(var(--_s) * 3);
    font-size: 16px;
  }
  /* Each bar is a container (the host is not: it would collapse where its width comes from content). */
  .bar {
    container-type: inline-size;
    display: flex;
    gap: calc(var(--_s) * 2);
    align-items: center;
    padding: calc(var(--_s) * 2);
  }
  .status {
    flex: 1;
  }
  .status[data-live] {
    color: var(--onair-broadcaster-live);
    font-weight: 700;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 3.2);
    cursor: pointer;
    background: var(--onair-broadcaster-control);
    color: inherit;
  }
  .tool {
    display: inline-flex;
    flex-direction: column;
    align-items: center;
    gap: calc(var(--_s) * 0.6);
    font-size: 12px;
  }
  /* A narrow studio, under 480px (the bar's content box: its padding off): the tools' icons only
     (their labels stay their names, and their tooltips). */
  @container (max-width: 463px) {
    .tool .label {
      ${hiddenText}
    }
  }
  svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  button.primary {
    background: var(--onair-broadcaster-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible {
    outline: 2px solid var(--onair-broadcaster-accent);
    outline-offset: 2px;
  }
  .spacer {
    flex: 1;
  }
  .devices {
    flex-wrap: wrap;
    padding-top: 0;
  }
  label {
    display: inline-flex;
    gap: calc(var(--_s) * 1.2);
    align-items: center;
  }
  /* The pickers (deviceMenuStyles): a button naming the choice, its list in the studio's colours. */
  .pick {
    background: var(--onair-broadcaster-field);
    border: 1px solid var(--onair-broadcaster-line);
  }
  .choices {
    background: var(--onair-broadcaster-background);
    color: var(--onair-broadcaster-foreground);
    border-color: var(--onair-broadcaster-line);
  }
  meter {
    width: 4rem;
  }
  meter,
  meter::-webkit-meter-bar {
    background: var(--onair-broadcaster-control);
  }
  meter::-webkit-meter-optimum-value {
    background: var(--onair-broadcaster-ok);
  }
  meter::-moz-meter-bar {
    background: var(--onair-broadcaster-ok);
  }
  .tool[data-active] {
    background: var(--onair-broadcaster-control-active);
  }
  .health {
    padding: calc(var(--_s) * 0.4) calc(var(--_s) * 2);
    border-radius: 1rem;
    background: rgb(255 255 255 / 0.1);
  }
  .health[data-level='good'] {
    color: var(--onair-broadcaster-ok);
  }
  .health[data-level='fair'] {
    color: var(--onair-broadcaster-warn);
  }
  .health[data-level='poor'] {
    color: var(--onair-broadcaster-live);
  }
  .error {
    padding: calc(var(--_s) * 2);
    background: var(--onair-broadcaster-error-background);
  }
`;

export const broadcasterStyles = [deviceMenuStyles, ownStyles, confirmDialogStyles];
