import { css } from 'lit';
import { reportStyles } from './report.styles.js';

export const streamSummaryStyles = [
  reportStyles,
  css`
    :host {
      --onair-stream-summary-background: #fff;
      --onair-stream-summary-foreground: #111;
      --onair-stream-summary-muted: #666;
      --onair-stream-summary-border: #ddd;
      --onair-stream-summary-tile-background: transparent;
      --onair-stream-summary-tile-width: 7rem;
      --onair-stream-summary-accent: #5b3cc4;
      --onair-stream-summary-live: #e5193b;
      --onair-stream-summary-error: #b00020;
      --onair-stream-summary-fair: #a15c00;
      --onair-stream-summary-poor: #b00020;
      --onair-stream-summary-sparkline-line: #5b3cc4;
      --onair-stream-summary-sparkline-fill: rgb(91 60 196 / 12%);
      --onair-stream-summary-sparkline-height: 48px;
      --_background: var(--onair-stream-summary-background);
      --_foreground: var(--onair-stream-summary-foreground);
      --_muted: var(--onair-stream-summary-muted);
      --_border: var(--onair-stream-summary-border);
      --_tile-background: var(--onair-stream-summary-tile-background);
      --_tile-width: var(--onair-stream-summary-tile-width);
      --_accent: var(--onair-stream-summary-accent);
      --_accent-foreground: #fff;
      --_live: var(--onair-stream-summary-live);
      --_error: var(--onair-stream-summary-error);
      --_fair: var(--onair-stream-summary-fair);
      --_poor: var(--onair-stream-summary-poor);
      max-width: 36rem;
    }
    .tile {
      padding: 0.25rem 0;
    }
    dd {
      font-size: 1.1rem;
    }
    .sparkline {
      margin-top: 0.5rem;
    }
    .plot {
      height: var(--onair-stream-summary-sparkline-height);
    }
  `,
];
