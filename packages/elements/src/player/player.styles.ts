import { css } from 'lit';

export const playerStyles = css`
  :host {
    --onair-player-background: #000;
    --onair-player-accent: #e5193b;
    --onair-player-foreground: #fff;
    --onair-player-radius: var(--_r);
    --onair-player-scrim: rgb(0 0 0 / 0.45);
    --onair-player-bar-scrim: rgb(0 0 0 / 0.6);
    --onair-player-notice-background: rgb(0 0 0 / 0.7);
    --onair-player-control: rgb(255 255 255 / 0.15);
    --onair-player-control-line: rgb(255 255 255 / 0.3);
    --onair-player-behind: rgb(255 255 255 / 0.25);
    --onair-player-menu-background: rgb(20 20 20 / 0.95);
    --onair-player-menu-foreground: #fff;
    display: block;
    position: relative;
    aspect-ratio: 16 / 9;
    background: var(--onair-player-background);
    border-radius: var(--onair-player-radius);
    overflow: hidden;
    color: var(--onair-player-foreground);
    font: 14px/1.4 var(--_font);
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: contain;
    display: block;
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: var(--onair-player-scrim);
    text-align: center;
    padding: calc(var(--_s) * 4);
  }
  /* Overlays (reactions, a logo) sit over the picture, always clear of the control bar. */
  .overlay-slot {
    position: absolute;
    inset: 0 0 calc(var(--_s) * 12);
    pointer-events: none;
  }
  /* The slotted element fills the area above the control bar (its own layout places what it shows). */
  ::slotted([slot='overlay']) {
    position: absolute;
    inset: 0;
  }
  .controls[hidden] {
    display: none;
  }
  .overlay p {
    margin: var(--_s) 0;
  }
  .replay {
    display: inline-flex;
    gap: calc(var(--_s) * 1.6);
    align-items: center;
    margin-top: calc(var(--_s) * 2);
    padding: calc(var(--_s) * 2) calc(var(--_s) * 4);
    background: var(--onair-player-accent);
  }
  .controls {
    box-sizing: border-box;
    height: calc(var(--_s) * 12);
    position: absolute;
    inset: auto 0 0;
    display: flex;
    gap: calc(var(--_s) * 2);
    align-items: center;
    padding: calc(var(--_s) * 2);
    background: linear-gradient(transparent, var(--onair-player-bar-scrim));
  }
  button {
    font: inherit;
    color: inherit;
    background: var(--onair-player-control);
    border: 0;
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2.4);
    cursor: pointer;
  }
  /* Every control, and the player itself (its keyboard shortcuts), shows where focus is: inside
     the edge, which clips what is outside. */
  :focus-visible {
    outline: 2px solid var(--onair-player-foreground);
    outline-offset: -2px;
  }
  button svg {
    display: block;
  }
  .badge {
    background: var(--onair-player-accent);
    font-weight: 700;
    padding: calc(var(--_s) * 0.4) calc(var(--_s) * 1.6);
    border-radius: calc(var(--_r) * 0.375);
  }
  /* The quality menu (deviceMenuStyles): its button like the bar's, its list dark over the video. */
  .pick {
    font: inherit;
    color: inherit;
    background: var(--onair-player-bar-scrim);
    border: 1px solid var(--onair-player-control-line);
    border-radius: calc(var(--_r) / 2);
    padding: calc(var(--_s) * 0.6) calc(var(--_s) * 1.6);
    cursor: pointer;
  }
  .choices {
    background: var(--onair-player-menu-background);
    color: var(--onair-player-menu-foreground);
    border-color: var(--onair-player-control-line);
  }
  .spacer {
    flex: 1;
  }
  /* Time runs left to right on the seek bar in right-to-left pages too, as media players keep it. */
  input[type='range'] {
    direction: ltr;
    accent-color: var(--onair-player-accent);
    min-width: 0;
  }
  /* The foreground colour, not the accent: the volume is no progress bar beside the seek bar. */
  input.volume {
    width: 5rem;
    accent-color: var(--onair-player-foreground);
  }
  .seek {
    flex: 1;
  }
  .badge[data-behind] {
    background: var(--onair-player-behind);
  }
  .latency {
    font-variant-numeric: tabular-nums;
  }
  /* A transient notice at the top ("Skipped ahead to live"); empty, it takes no room. */
  .notice {
    position: absolute;
    top: 0.75rem;
    left: 50%;
    transform: translateX(-50%);
    pointer-events: none;
  }
  .notice:not(:empty) {
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 3.2);
    border-radius: calc(var(--_r) / 2);
    background: var(--onair-player-notice-background);
  }
`;
