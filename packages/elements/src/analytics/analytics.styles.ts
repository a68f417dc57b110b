import { css } from 'lit';
import { reportStyles } from './report.styles.js';

export const analyticsStyles = [
  reportStyles,
  css`
    :host {
      --onair-analytics-background: #fff;
      --onair-analytics-foreground: #111;
      --onair-analytics-muted: #666;
      --onair-analytics-border: #ddd;
      --onair-analytics-tile-background: #f5f5f7;
      --onair-analytics-tile-width: 9.5rem;
      --onair-analytics-accent: #5b3cc4;
      --onair-analytics-accent-foreground: #fff;
      --onair-analytics-live: #e5193b;
      --onair-analytics-error: #b00020;
      --onair-analytics-fair: #a15c00;
      --onair-analytics-poor: #b00020;
      --onair-analytics-chart-line: #5b3cc4;
      --onair-analytics-chart-fill: rgb(91 60 196 / 12%);
      --onair-analytics-chart-axis: #666;
      --onair-analytics-chart-grid: rgb(0 0 0 / 8%);
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
      gap: 0.75rem 1rem;
      margin-top: 1rem;
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
      padding: 0.3rem 0.5rem;
      border-bottom: 1px solid var(--_border);
    }
    tbody th {
      font-weight: 500;
    }
    .more {
      margin-top: 0.5rem;
    }
  `,
];
