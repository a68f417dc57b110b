import { css } from 'lit';
import { reportStyles } from './report.styles.js';

export const streamSummaryStyles = [
  reportStyles,
  css`
    :host {
      --onair-stream-summary-background: var(--_bg);
      --onair-stream-summary-foreground: var(--_fg);
      --onair-stream-summary-muted: var(--_dim);
      --onair-stream-summary-border: var(--_line);
      --onair-stream-summary-tile-background: transparent;
      --onair-stream-summary-tile-width: 7rem;
      --onair-stream-summary-accent: var(--_brand);
      --onair-stream-summary-live: var(--_red);
      --onair-stream-summary-error: var(--_danger);
      --onair-stream-summary-fair: var(--_warn);
      --onair-stream-summary-poor: var(--_danger);
      --onair-stream-summary-sparkline-line: var(--_brand);
      --onair-stream-summary-sparkline-fill: var(--_fill);
      --onair-stream-summary-sparkline-height: 48px;
      --_background: var(--onair-stream-summary-background);
      --_foreground: var(--onair-stream-summary-foreground);
      --_muted: var(--onair-stream-summary-muted);
      --_border: var(--onair-stream-summary-border);
      --_tile-background: var(--onair-stream-summary-tile-background);
      --_tile-width: var(--onair-stream-summary-tile-width);
      --_accent: var(--onair-stream-summary-accent);
      --_accent-foreground: var(--_on-brand);
      --_live: var(--onair-stream-summary-live);
      --_error: var(--onair-stream-summary-error);
      --_fair: var(--onair-stream-summary-fair);
      --_poor: var(--onair-stream-summary-poor);
      max-width: 36rem;
    }
    .tile {
      padding: var(--_s) 0;
    }
    dd {
      font-size: 1.1rem;
    }
    .sparkline {
      margin-top: calc(var(--_s) * 2);
    }
    .plot {
      height: var(--onair-stream-summary-sparkline-height);
    }
  `,
];
