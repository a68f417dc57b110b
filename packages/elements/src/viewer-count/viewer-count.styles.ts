import { css } from 'lit';

export const viewerCountStyles = css`
  :host {
    --onair-viewer-count-foreground: inherit;
    --onair-viewer-count-muted: var(--_dim);
    --onair-viewer-count-dot: #e5193b;
    display: inline-flex;
    flex-direction: column;
    gap: var(--_s);
    color: var(--onair-viewer-count-foreground);
    font: 14px/1.4 var(--_font);
  }
  :host([data-ended]) {
    display: none;
  }
  .count {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_s) * 1.4);
    font-weight: 600;
  }
  .count::before {
    content: '';
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--onair-viewer-count-dot);
  }
  .peak,
  .anon {
    color: var(--onair-viewer-count-muted);
    font-weight: 400;
    font-size: 12px;
  }
  button {
    font: inherit;
    font-size: 12px;
    background: none;
    border: 0;
    color: inherit;
    text-decoration: underline;
    cursor: pointer;
    padding: 0;
    align-self: flex-start;
  }
  ul {
    margin: 0;
    padding-inline-start: calc(var(--_s) * 4);
    max-height: 12rem;
    overflow-y: auto;
  }
`;
