import { css } from 'lit';

export const chatStyles = css`
  :host {
    --onair-chat-background: #fff;
    --onair-chat-foreground: #111;
    --onair-chat-muted: #666;
    --onair-chat-accent: #5b3cc4;
    --onair-chat-error: #b00020;
    display: flex;
    flex-direction: column;
    min-height: 240px;
    background: var(--onair-chat-background);
    color: var(--onair-chat-foreground);
    font: 14px/1.4 system-ui, sans-serif;
    border: 1px solid #ddd;
    border-radius: 8px;
  }
  header {
    display: flex;
    justify-content: space-between;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid #eee;
    font-weight: 600;
  }
  header span {
    color: var(--onair-chat-muted);
    font-weight: 400;
  }
  ol {
    flex: 1;
    overflow-y: auto;
    list-style: none;
    margin: 0;
    padding: 0.5rem 0.75rem;
  }
  li {
    padding: 0.15rem 0;
    overflow-wrap: anywhere;
  }
  li[data-delivery='pending'] {
    opacity: 0.6;
  }
  li[data-delivery='failed'] {
    color: var(--onair-chat-error);
  }
  .author {
    font-weight: 600;
    color: var(--onair-chat-accent);
    margin-right: 0.35rem;
  }
  .badge {
    display: inline-block;
    font-size: 10px;
    font-weight: 700;
    line-height: 1;
    padding: 0.15rem 0.3rem;
    margin-right: 0.25rem;
    border-radius: 3px;
    background: var(--onair-chat-accent);
    color: #fff;
    vertical-align: 1px;
  }
  .badge[data-badge='owner'] {
    background: #e5193b;
  }
  .badge[data-badge='moderator'] {
    background: #1f8a4c;
  }
  .pinned {
    display: flex;
    gap: 0.35rem;
    align-items: baseline;
    padding: 0.4rem 0.75rem;
    background: #f4f0ff;
    border-bottom: 1px solid #e4dcff;
  }
  .pinned .text {
    flex: 1;
  }
  button.link {
    background: none;
    color: var(--onair-chat-accent);
    padding: 0 0.25rem;
    font-size: 12px;
  }
  .actions {
    margin-left: 0.35rem;
    opacity: 0.75;
  }
  li:hover .actions,
  li:focus-within .actions {
    opacity: 1;
  }
  .older {
    text-align: center;
  }
  .empty {
    color: var(--onair-chat-muted);
  }
  form {
    display: flex;
    gap: 0.4rem;
    padding: 0.5rem;
    border-top: 1px solid #eee;
  }
  input {
    flex: 1;
    font: inherit;
    padding: 0.4rem 0.5rem;
    border: 1px solid #ccc;
    border-radius: 4px;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: 4px;
    padding: 0.4rem 0.8rem;
    background: var(--onair-chat-accent);
    color: #fff;
    cursor: pointer;
  }
  .error {
    color: var(--onair-chat-error);
    padding: 0 0.75rem 0.5rem;
  }
`;
