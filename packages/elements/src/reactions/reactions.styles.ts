import { css } from 'lit';

export const reactionsStyles = css`
  :host {
    --onair-reactions-size: 28px;
    --onair-reactions-duration: 2.4s;
    --onair-reactions-button-background: rgba(0, 0, 0, 0.55);
    display: block;
    position: relative;
    pointer-events: none;
  }
  .overlay {
    position: absolute;
    inset: 0;
    overflow: hidden;
  }
  .float {
    position: absolute;
    bottom: 0;
    font-size: var(--onair-reactions-size);
    animation: rise var(--onair-reactions-duration) ease-out forwards;
    will-change: transform, opacity;
  }
  .float small {
    font-size: 12px;
    font-weight: 700;
    color: #fff;
    text-shadow: 0 0 2px #000;
  }
  @keyframes rise {
    from {
      transform: translateY(0) scale(0.8);
      opacity: 1;
    }
    to {
      transform: translateY(-80vh) scale(1.1);
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .float {
      animation: none;
      opacity: 0.9;
    }
  }
  .picker {
    position: absolute;
    inset-inline-end: 0.5rem;
    bottom: 0.5rem;
    display: flex;
    gap: var(--_s);
    pointer-events: auto;
  }
  .picker button {
    font-size: 20px;
    line-height: 1;
    border: 0;
    border-radius: 999px;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 1.8);
    background: var(--onair-reactions-button-background);
    cursor: pointer;
  }
  .picker button:focus-visible {
    outline: 2px solid #fff;
  }
  .error {
    position: absolute;
    inset-inline-start: 0.5rem;
    bottom: 0.5rem;
    color: #fff;
    background: rgba(176, 0, 32, 0.85);
    padding: calc(var(--_s) * 0.8) calc(var(--_s) * 2);
    border-radius: calc(var(--_r) / 2);
    font: 12px var(--_font);
  }
`;
