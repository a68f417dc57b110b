import { css } from 'lit';

export const chatStyles = css`
  :host {
    --onair-chat-background: var(--_bg);
    --onair-chat-foreground: var(--_fg);
    --onair-chat-muted: var(--_dim);
    --onair-chat-accent: var(--_brand);
    --onair-chat-error: var(--_danger);
    --onair-chat-mention: var(--_mark);
    --onair-chat-height: 480px;
    --onair-chat-owner: #e5193b;
    --onair-chat-moderator: #197b43;
    display: flex;
    flex-direction: column;
    position: relative;
    height: var(--onair-chat-height);
    min-height: 240px;
    background: var(--onair-chat-background);
    color: var(--onair-chat-foreground);
    font: 14px/1.4 var(--_font);
    border: 1px solid var(--_line);
    border-radius: var(--_r);
  }
  header {
    display: flex;
    justify-content: space-between;
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
    border-bottom: 1px solid var(--_soft);
    font-weight: 600;
  }
  header span {
    color: var(--onair-chat-muted);
    font-weight: 400;
  }
  ol {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-anchor: none;
    list-style: none;
    margin: 0;
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
  }
  li {
    padding: calc(var(--_s) * 0.6) 0;
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
    margin-inline-end: calc(var(--_s) * 1.4);
  }
  li[data-id] {
    position: relative;
    padding-inline-start: 30px;
  }
  .avatar {
    position: absolute;
    inset-inline-start: 0;
    top: 1px;
    width: 22px;
    height: 22px;
    font-size: 9px;
  }
  time {
    color: var(--onair-chat-muted);
    font-size: 11px;
    margin-inline-end: calc(var(--_s) * 1.4);
  }
  .badge {
    display: inline-block;
    font-size: 10px;
    font-weight: 700;
    line-height: 1;
    padding: calc(var(--_s) * 0.6) calc(var(--_s) * 1.2);
    margin-inline-end: var(--_s);
    border-radius: calc(var(--_r) * 0.375);
    background: var(--onair-chat-accent);
    color: var(--_on-brand);
    vertical-align: 1px;
  }
  .badge[data-badge='owner'] {
    background: var(--onair-chat-owner);
    color: #fff;
  }
  .badge[data-badge='moderator'] {
    background: var(--onair-chat-moderator);
    color: #fff;
  }
  .pinned {
    display: flex;
    gap: calc(var(--_s) * 1.4);
    align-items: baseline;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 3);
    background: var(--_tint);
    border-bottom: 1px solid #e4dcff;
    border-bottom: 1px solid light-dark(#e4dcff, #435);
  }
  .pinned .text {
    flex: 1;
  }
  button.link {
    background: none;
    color: var(--onair-chat-accent);
    padding: 0 var(--_s);
    font-size: 12px;
  }
  li.spacer {
    padding: 0;
  }
  li[data-mention] {
    background: var(--onair-chat-mention);
  }
  mark.mention {
    background: none;
    color: var(--onair-chat-accent);
    font-weight: 600;
  }
  mark.mention[data-mine] {
    background: var(--onair-chat-mention);
  }
  img.emote {
    width: 24px;
    height: 24px;
    vertical-align: middle;
  }
  details.menu {
    /* inline-end: Chrome 118; right before it (no right-to-left then). */
    float: right;
    float: inline-end;
    position: relative;
    margin-inline-start: var(--_s);
  }
  details.menu > span {
    position: absolute;
    inset-inline-end: 0;
    z-index: 1;
    display: grid;
    white-space: nowrap;
    padding: var(--_s);
    background: var(--onair-chat-background);
    border: 1px solid var(--_line);
    border-radius: calc(var(--_r) / 2);
  }
  details.menu summary {
    display: inline;
    cursor: pointer;
    list-style: none;
    padding: 0 calc(var(--_s) * 1.2);
    color: var(--onair-chat-muted);
    border-radius: calc(var(--_r) * 0.375);
  }
  details.menu summary::-webkit-details-marker {
    display: none;
  }
  details.menu summary:focus-visible,
  button:focus-visible,
  ol:focus-visible {
    outline: 2px solid var(--onair-chat-accent);
    outline-offset: 1px;
  }
  .jump {
    position: absolute;
    left: 50%;
    transform: translateX(-50%);
    bottom: 4.5rem;
    font-size: 12px;
  }
  .picker {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_s);
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 2) 0;
  }
  .picker button,
  .picker-toggle {
    background: var(--_soft);
    color: inherit;
    padding: calc(var(--_s) * 0.8) calc(var(--_s) * 1.6);
    font-size: 18px;
    line-height: 1;
  }
  .cooldown,
  .notice,
  .restricted {
    margin: 0;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 3);
    color: var(--onair-chat-muted);
    font-size: 12px;
  }
  .restricted {
    color: var(--onair-chat-error);
    border-top: 1px solid var(--_soft);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .older {
    text-align: center;
  }
  .empty {
    color: var(--onair-chat-muted);
  }
  form {
    display: flex;
    gap: calc(var(--_s) * 1.6);
    padding: calc(var(--_s) * 2);
    border-top: 1px solid var(--_soft);
  }
  input {
    flex: 1;
    font: inherit;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 2);
    border: 1px solid var(--_field);
    border-radius: calc(var(--_r) / 2);
  }
  button {
    font: inherit;
    border: 0;
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 3.2);
    background: var(--onair-chat-accent);
    color: var(--_on-brand);
    cursor: pointer;
  }
  .error {
    color: var(--onair-chat-error);
    padding: 0 calc(var(--_s) * 3) calc(var(--_s) * 2);
  }
`;
