import { css } from 'lit';

export const streamCardStyles = css`
  :host {
    --onair-card-background: var(--_bg);
    --onair-card-foreground: var(--_fg);
    --onair-card-muted: var(--_dim);
    --onair-card-accent: #e5193b;
    --onair-card-radius: var(--_r);
    --onair-card-placeholder: linear-gradient(135deg, #2b2d42, #5b3cc4);
    display: block;
    font: 14px/1.4 var(--_font);
    color: var(--onair-card-foreground);
  }
  article {
    position: relative;
    background: var(--onair-card-background);
    border-radius: var(--onair-card-radius);
    overflow: hidden;
    border: 1px solid var(--_line);
    cursor: pointer;
    height: 100%;
  }
  article:has(:focus-visible) {
    outline: 2px solid var(--onair-card-accent);
    outline-offset: 2px;
  }
  .thumb {
    position: relative;
    aspect-ratio: 16 / 9;
    background: var(--onair-card-placeholder);
  }
  .thumb img {
    width: 100%;
    height: 100%;
    object-fit: cover;
    display: block;
  }
  .badge {
    position: absolute;
    top: 0.5rem;
    inset-inline-start: 0.5rem;
    background: var(--onair-card-accent);
    color: #fff;
    font-weight: 700;
    font-size: 12px;
    padding: calc(var(--_s) * 0.4) calc(var(--_s) * 1.6);
    border-radius: calc(var(--_r) * 0.375);
  }
  .viewers {
    position: absolute;
    bottom: 0.5rem;
    inset-inline-start: 0.5rem;
    background: rgb(0 0 0 / 0.6);
    color: #fff;
    font-size: 12px;
    padding: calc(var(--_s) * 0.4) calc(var(--_s) * 1.6);
    border-radius: calc(var(--_r) * 0.375);
  }
  .body {
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3) calc(var(--_s) * 3);
  }
  h3 {
    margin: 0 0 calc(var(--_s) * 0.8);
    font-size: 15px;
  }
  button {
    all: unset;
    display: block;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  button::after {
    content: '';
    position: absolute;
    inset: 0;
  }
  .meta {
    color: var(--onair-card-muted);
    font-size: 13px;
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_s);
    margin-top: calc(var(--_s) * 1.4);
  }
  .tag {
    background: var(--_soft);
    border-radius: 999px;
    padding: 0 calc(var(--_s) * 2);
    font-size: 12px;
  }
`;
