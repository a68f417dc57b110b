import { css } from 'lit';

export const stageStyles = css`
  :host {
    --onair-stage-background: #000;
    --onair-stage-tile: #1f2430;
    --onair-stage-foreground: #fff;
    --onair-stage-speaking: #3ddc84;
    --onair-stage-gap: var(--_s);
    --onair-stage-radius: var(--_r);
    display: block;
    aspect-ratio: 16 / 9;
    background: var(--onair-stage-background);
    color: var(--onair-stage-foreground);
    font: 14px/1.4 var(--_font);
    overflow: hidden;
  }
  .tiles {
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    padding: var(--onair-stage-gap);
    gap: var(--onair-stage-gap);
  }
  .empty {
    display: grid;
    place-items: center;
    opacity: 0.8;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(var(--columns, 1), minmax(0, 1fr));
    grid-auto-rows: minmax(0, 1fr);
  }
  .speaker {
    display: grid;
    grid-template-rows: minmax(0, 3fr) minmax(0, 1fr);
  }
  .strip {
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(0, 1fr);
    gap: var(--onair-stage-gap);
    min-height: 0;
  }
  .tile {
    position: relative;
    margin: 0;
    min-width: 0;
    min-height: 0;
    border-radius: var(--onair-stage-radius);
    background: var(--onair-stage-tile);
    overflow: hidden;
    display: grid;
    place-items: center;
    outline: 3px solid transparent;
    outline-offset: -3px;
    transition: outline-color 150ms ease-out;
  }
  .tile[data-speaking] {
    outline-color: var(--onair-stage-speaking);
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  /* A screen is read, not framed: shown whole. */
  .tile[data-screen] video {
    object-fit: contain;
  }
  .initials {
    font-size: 2rem;
    font-weight: 600;
    opacity: 0.85;
  }
  figcaption {
    position: absolute;
    inset-inline-start: 0.4rem;
    bottom: 0.4rem;
    max-width: calc(100% - 0.8rem);
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_s) * 1.2);
    padding: calc(var(--_s) * 0.4) calc(var(--_s) * 1.8);
    border-radius: calc(var(--_r) / 2);
    background: rgb(0 0 0 / 55%);
    font-size: 12px;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .mic-off {
    width: 0.8rem;
    height: 0.8rem;
    flex: none;
    background: currentColor;
    mask: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='M19 11h-1.7c0 .74-.16 1.43-.43 2.05l1.23 1.23c.56-.98.9-2.09.9-3.28zm-4.02.17c0-.06.02-.11.02-.17V5c0-1.66-1.34-3-3-3S9 3.34 9 5v.18l5.98 5.99zM4.27 3 3 4.27l6.01 6.01V11c0 1.66 1.33 3 2.99 3 .22 0 .44-.03.65-.08l1.66 1.66c-.71.33-1.5.52-2.31.52-2.76 0-5.3-2.1-5.3-5.1H5c0 3.41 2.72 6.23 6 6.72V21h2v-3.28c.91-.13 1.77-.45 2.54-.9L19.73 21 21 19.73 4.27 3z'/%3E%3C/svg%3E")
      center / contain no-repeat;
  }
  @media (prefers-reduced-motion: reduce) {
    .tile {
      transition: none;
    }
  }
`;
