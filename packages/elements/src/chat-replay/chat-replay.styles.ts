import { css } from 'lit';
import { hiddenText } from '../internal/theme.styles.js';

/** `<onair-chat-replay>`: the look of `<onair-chat>` (same defaults), with chapters, question cards and reactions. */
export const chatReplayStyles = css`
  /* Inside onair-chat (replay), or under a page's chat colours: the chat's colours. */
  :host {
    --onair-chat-replay-background: var(--onair-chat-background, var(--_bg));
    --onair-chat-replay-foreground: var(--onair-chat-foreground, var(--_fg));
    --onair-chat-replay-muted: var(--onair-chat-muted, var(--_dim));
    --onair-chat-replay-accent: var(--onair-chat-accent, var(--_brand));
    --onair-chat-replay-error: var(--onair-chat-error, var(--_danger));
    --onair-chat-replay-question: var(--_tint);
    --onair-chat-replay-height: 480px;
    --onair-chat-replay-reaction-size: 24px;
    display: flex;
    flex-direction: column;
    position: relative;
    height: var(--onair-chat-replay-height);
    min-height: 240px;
    background: var(--onair-chat-replay-background);
    color: var(--onair-chat-replay-foreground);
    font: 14px/1.4 var(--_font);
    border: 1px solid var(--_line);
    border-radius: var(--_r);
    overflow: hidden;
  }
  /* Inside <onair-chat replay> (the part it gives): it fills the chat, in the chat's colours. */
  :host([part~='replay']) {
    flex: 1;
    height: auto;
    min-height: 0;
    border: 0;
    border-radius: inherit;
    --onair-chat-replay-background: var(--onair-chat-background);
    --onair-chat-replay-foreground: var(--onair-chat-foreground);
    --onair-chat-replay-muted: var(--onair-chat-muted);
    --onair-chat-replay-accent: var(--onair-chat-accent);
    --onair-chat-replay-error: var(--onair-chat-error);
  }
  header {
    display: flex;
    justify-content: space-between;
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
    border-bottom: 1px solid var(--_soft);
    font-weight: 600;
  }
  header .current {
    color: var(--onair-chat-replay-muted);
    font-weight: 400;
  }
  nav {
    border-bottom: 1px solid var(--_soft);
  }
  nav ol {
    display: flex;
    gap: calc(var(--_s) * 1.4);
    margin: 0;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 3);
    list-style: none;
    overflow-x: auto;
  }
  [part='chapter'] {
    white-space: nowrap;
    background: var(--_tint);
    color: var(--onair-chat-replay-foreground);
    padding: calc(var(--_s) * 0.8) calc(var(--_s) * 2.2);
    font-size: 12px;
  }
  [part='chapter'][aria-current] {
    background: var(--onair-chat-replay-accent);
    color: var(--_on-brand);
  }
  [part='chapter'] time {
    opacity: 0.75;
    margin-inline-end: calc(var(--_s) * 1.2);
  }
  .log {
    flex: 1;
    min-height: 0;
    position: relative;
  }
  [part='messages'] {
    height: 100%;
    box-sizing: border-box;
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
  li > time {
    color: var(--onair-chat-replay-muted);
    font-size: 11px;
    font-variant-numeric: tabular-nums;
    margin-inline-end: calc(var(--_s) * 1.4);
  }
  .author {
    font-weight: 600;
    color: var(--onair-chat-replay-accent);
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
    background: var(--onair-chat-replay-accent);
    color: var(--_on-brand);
    vertical-align: 1px;
  }
  .badge[data-badge='owner'] {
    background: #e5193b;
    color: #fff;
  }
  .badge[data-badge='moderator'] {
    background: #197b43;
    color: #fff;
  }
  mark.mention {
    background: none;
    color: var(--onair-chat-replay-accent);
    font-weight: 600;
  }
  img.emote {
    width: 24px;
    height: 24px;
    vertical-align: middle;
  }
  [part='question'] {
    margin: calc(var(--_s) * 1.4) 0;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 2.4);
    background: var(--onair-chat-replay-question);
    border-radius: calc(var(--_r) * 0.75);
    box-shadow: inset 3px 0 var(--onair-chat-replay-accent);
  }
  [part='question'] strong {
    display: block;
    font-size: 11px;
    text-transform: uppercase;
    letter-spacing: 0.03em;
    color: var(--onair-chat-replay-muted);
  }
  [part='question'] .state {
    margin-inline-start: calc(var(--_s) * 1.4);
    color: var(--_ok);
  }
  [part='answer'] {
    margin: calc(var(--_s) * 1.2) 0 0;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2);
    background: var(--onair-chat-replay-background);
    border-radius: calc(var(--_r) * 0.75);
    white-space: pre-line;
  }
  .empty,
  .loading {
    color: var(--onair-chat-replay-muted);
  }
  [part='reactions'] {
    position: absolute;
    inset: 0;
    overflow: hidden;
    pointer-events: none;
  }
  .float {
    position: absolute;
    bottom: 0;
    font-size: var(--onair-chat-replay-reaction-size);
    animation: rise 2.4s ease-out forwards;
    will-change: transform, opacity;
  }
  .float small {
    font-size: 11px;
    font-weight: 700;
  }
  :host([data-paused]) .float {
    animation-play-state: paused;
  }
  @keyframes rise {
    from {
      transform: translateY(0) scale(0.8);
      opacity: 1;
    }
    to {
      transform: translateY(-320px) scale(1.1);
      opacity: 0;
    }
  }
  .counts {
    display: flex;
    gap: calc(var(--_s) * 2);
    margin: 0;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 3);
    list-style: none;
    border-top: 1px solid var(--_soft);
    font-size: 13px;
  }
  .counts li {
    padding: 0;
  }
  /* Moving emoji for those who allow motion, counts that stay still for the others. */
  @media (prefers-reduced-motion: no-preference) {
    .counts {
      ${hiddenText}
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part='reactions'] {
      display: none;
    }
  }
  button {
    font: inherit;
    border: 0;
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 3.2);
    background: var(--onair-chat-replay-accent);
    color: var(--_on-brand);
    cursor: pointer;
  }
  button:focus-visible,
  [part='messages']:focus-visible {
    outline: 2px solid var(--onair-chat-replay-accent);
    outline-offset: 1px;
  }
  .jump {
    position: absolute;
    left: 50%;
    transform: translateX(-50%);
    bottom: 0.5rem;
    font-size: 12px;
  }
  [part='error'] {
    color: var(--onair-chat-replay-error);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
  }
`;
