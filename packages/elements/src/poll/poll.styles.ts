import { css } from 'lit';
import { panelStyles } from '../internal/panel.styles.js';

export const pollStyles = [
  panelStyles,
  css`
    .question {
      padding: calc(var(--_s) * 2) calc(var(--_s) * 3) var(--_s);
      font-weight: 600;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: var(--_s) calc(var(--_s) * 3) calc(var(--_s) * 2);
      display: flex;
      flex-direction: column;
      gap: calc(var(--_s) * 1.4);
    }
    .option {
      position: relative;
      display: flex;
      justify-content: space-between;
      width: 100%;
      text-align: start;
      background: var(--_tint);
      color: inherit;
      overflow: hidden;
    }
    .option .bar {
      position: absolute;
      inset: 0 auto 0 0;
      background: var(--onair-poll-bar, var(--_bar));
      transition: width 0.3s;
    }
    @media (prefers-reduced-motion: reduce) {
      .option .bar {
        transition: none;
      }
    }
    .option span {
      position: relative;
    }
    .option:disabled {
      opacity: 1;
    }
    .option[data-mine] {
      outline: 2px solid var(--onair-panel-accent);
    }
    .footer {
      display: flex;
      justify-content: space-between;
      padding: 0 calc(var(--_s) * 3) calc(var(--_s) * 2);
      font-size: 12px;
      color: var(--onair-panel-muted);
    }
    label {
      font-size: 12px;
      color: var(--onair-panel-muted);
    }
  `,
];
