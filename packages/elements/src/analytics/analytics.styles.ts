import { css } from 'lit';
import { reportStyles } from './report.styles.js';

export const analyticsStyles = [
  reportStyles,
  css`
    :host {
      --onair-analytics-background: var(--_bg);
      --onair-analytics-foreground: var(--_fg);
      --onair-analytics-muted: var(--_dim);
      --onair-analytics-border: var(--_line);
      --onair-analytics-tile-background: var(--_soft);
      --onair-analytics-tile-width: 9.5rem;
      --onair-analytics-accent: var(--_brand);
      --onair-analytics-accent-foreground: var(--_on-brand);
      --onair-analytics-live: var(--_red);
      --onair-analytics-error: var(--_danger);
      --onair-analytics-fair: var(--_warn);
      --onair-analytics-poor: var(--_danger);
      --onair-analytics-chart-line: var(--_brand);
      --onair-analytics-chart-fill: var(--_fill);
      --onair-analytics-chart-axis: var(--_dim);
      --onair-analytics-chart-grid: var(--_grid);
      --onair-analytics-chart-height: 160px;
      --_background: var(--onair-analytics-background);
      --_foreground: var(--onair-analytics-foreground);
      --_muted: var(--onair-analytics-muted);
      --_border: var(--onair-analytics-border);
      --_tile-background: var(--onair-analytics-tile-background);
      --_tile-width: var(--onair-analytics-tile-width);
      --_accent: var(--onair-analytics-accent);
      --_accent-foreground: var(--onair-analytics-accent-foreground);
      --_live: var(--onair-analytics-live);
      --_error: var(--onair-analytics-error);
      --_fair: var(--onair-analytics-fair);
      --_poor: var(--onair-analytics-poor);
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
      gap: calc(var(--_s) * 3) calc(var(--_s) * 4);
      margin-top: calc(var(--_s) * 4);
    }
    .plot {
      height: var(--onair-analytics-chart-height);
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      text-align: start;
      padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2);
      border-bottom: 1px solid var(--_border);
    }
    tbody th {
      font-weight: 500;
    }
    .more {
      margin-top: calc(var(--_s) * 2);
    }
  `,
];
