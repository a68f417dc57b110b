import { css } from 'lit';
import { panelStyles } from '../internal/panel.styles.js';

export const qnaStyles = [
  panelStyles,
  css`
    :host {
      --onair-qna-answering: light-dark(#fff8e1, #431);
      --onair-qna-answering-label: light-dark(#b45309, #fb2);
      --onair-qna-answer: light-dark(#f4f7f5, #243);
    }
    @supports not (color: light-dark(#fff, #000)) {
      :host {
        --onair-qna-answering: #fff8e1;
        --onair-qna-answering-label: #b45309;
        --onair-qna-answer: #f4f7f5;
      }
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: var(--onair-qna-max-height, 360px);
      overflow-y: auto;
    }
    li {
      display: flex;
      gap: calc(var(--_s) * 2);
      align-items: flex-start;
      padding: calc(var(--_s) * 1.8) calc(var(--_s) * 3);
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
      padding: calc(var(--_s) * 0.8) calc(var(--_s) * 1.6);
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
      margin-inline-start: calc(var(--_s) * 1.4);
    }
    li[data-answering] {
      background: var(--onair-qna-answering);
      box-shadow: inset 3px 0 var(--onair-panel-accent);
    }
    li[data-answering] .badge {
      color: var(--onair-qna-answering-label);
    }
    [part='answer'] {
      margin: calc(var(--_s) * 1.2) 0 0;
      padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2);
      background: var(--onair-qna-answer);
      border-radius: calc(var(--_r) * 0.75);
      white-space: pre-line;
    }
    .sort {
      display: flex;
      gap: var(--_s);
    }
    /* Tabs: the selected one underlined in the accent, the other muted; focus is a ring around. */
    [role='tab'] {
      background: none;
      color: var(--onair-panel-muted);
      font-size: 12px;
      padding: calc(var(--_s) * 0.8) calc(var(--_s) * 1.4);
      border-block-end: 2px solid transparent;
      border-radius: calc(var(--_r) / 2) calc(var(--_r) / 2) 0 0;
    }
    [role='tab']:hover {
      color: var(--onair-panel-foreground);
    }
    [role='tab'][aria-selected='true'] {
      color: var(--onair-panel-foreground);
      border-block-end-color: var(--onair-panel-accent);
    }
    [role='tab']:focus-visible {
      outline-offset: 2px;
    }
    [role='tabpanel']:focus-visible {
      outline: 2px solid var(--onair-panel-accent);
      outline-offset: -2px;
    }
  `,
];
