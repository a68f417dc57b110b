import { css } from 'lit';
import { panelStyles } from '../internal/panel.styles.js';

export const qnaStyles = [
  panelStyles,
  css`
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: var(--onair-qna-max-height, 360px);
      overflow-y: auto;
    }
    li {
      display: flex;
      gap: 0.5rem;
      align-items: flex-start;
      padding: 0.45rem 0.75rem;
      border-bottom: 1px solid var(--_soft);
    }
    li[data-answered] .text {
      color: var(--onair-panel-muted);
    }
    .vote {
      display: flex;
      flex-direction: column;
      align-items: center;
      min-width: 2.5rem;
      background: var(--_tint);
      color: var(--onair-panel-accent);
      padding: 0.2rem 0.4rem;
    }
    .body {
      flex: 1;
      overflow-wrap: anywhere;
    }
    .author {
      font-size: 12px;
      color: var(--onair-panel-muted);
    }
    .badge {
      font-size: 11px;
      font-weight: 700;
      color: var(--_ok);
      margin-inline-start: 0.35rem;
    }
    li[data-answering] {
      background: #fff8e1;
      background: light-dark(#fff8e1, #431);
      box-shadow: inset 3px 0 var(--onair-panel-accent);
    }
    li[data-answering] .badge {
      color: #b45309;
      color: light-dark(#b45309, #fb2);
    }
    [part='answer'] {
      margin: 0.3rem 0 0;
      padding: 0.3rem 0.5rem;
      background: #f4f7f5;
      background: light-dark(#f4f7f5, #243);
      border-radius: 6px;
      white-space: pre-line;
    }
    .sort {
      display: flex;
      gap: 0.25rem;
    }
  `,
];
