import { html, svg } from 'lit';

// Inline icons: no icon font or emoji font needed (many Linux machines lack one).
const icon = (path: ReturnType<typeof svg>) =>
  html`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="currentColor">${path}</svg>`;
/** The control bar's icons. */
export const ICONS = {
  play: icon(svg`<path d="M8 5v14l11-7z" />`),
  pause: icon(svg`<path d="M6 5h4v14H6zm8 0h4v14h-4z" />`),
  volume: icon(
    svg`<path d="M3 9v6h4l5 5V4L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z" />`,
  ),
  fullscreen: icon(
    svg`<path d="M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 4v-4h2v6h-6v-2z" />`,
  ),
  pip: icon(svg`<path d="M3 5h18v14H3zm2 2v10h14V7zm7 5h6v4h-6z" />`),
  muted: icon(
    svg`<path d="M3 9v6h4l5 5V4L7 9H3zm13.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z" />`,
  ),
};
