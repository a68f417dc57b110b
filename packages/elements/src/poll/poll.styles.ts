import { css } from 'lit';
import { panelStyles } from '../internal/panel.styles.js';

export const pollStyles = [
  panelStyles,
  css`
    .question {
      padding: 0.5rem 0.75rem 0.25rem;
      font-weight: 600;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0.25rem 0.75rem 0.5rem;
      display: flex;
      flex-direction: column;
      gap: 0.35rem;
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
      padding: 0 0.75rem 0.5rem;
      font-size: 12px;
      color: var(--onair-panel-muted);
    }
    label {
      font-size: 12px;
      color: var(--onair-panel-muted);
    }
  `,
];
