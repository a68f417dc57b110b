import type { CaptureDevice } from '@onair/core';
import { css, html, type TemplateResult } from 'lit';

/** What {@link deviceMenu} shows. */
export interface DeviceMenuOptions {
  /** The id of its list, unique in the shadow root. */
  id: string;
  /** The label (translated): "Camera", "Microphone", "Quality". */
  label: string;
  /** Opens above its button where it fits (a control bar at the bottom of a video). */
  up?: boolean | undefined;
  /** Shown instead of the label, which stays its accessible name's start. */
  icon?: TemplateResult | undefined;
  /** The choices; one without a label (before permission) is numbered. */
  devices: readonly CaptureDevice[];
  /** The one in use. */
  current: string | null;
  /** While another choice is applied: the list opens, its choices do not take a click. */
  disabled: boolean;
  choose(deviceId: string): void;
}

/**
 * A picker as a menu, as video-call lobbies have: a button naming what is in
 * use ("Camera: FaceTime HD") that opens the list over everything (a
 * popover: Escape or a click outside closes it, focus goes to the current
 * choice and back to the button), the current choice checked. A disclosure,
 * not an ARIA menu: its choices are buttons reached with Tab. The button
 * stays enabled while a choice is applied (focus stays on it); the choices wait.
 * Needs the Popover API (Chrome 114, Safari 17, Firefox 125): older browsers
 * show the button, without its list.
 */
export function deviceMenu(o: DeviceMenuOptions) {
  const names = o.devices.map((d, i) => d.label || `${o.label} ${i + 1}`);
  const current = names[o.devices.findIndex((d) => d.deviceId === o.current)] ?? '';
  return html`<button
      class="pick"
      popovertarget=${o.id}
      aria-label=${current ? `${o.label}: ${current}` : o.label}
      title=${current}
      ?disabled=${!o.devices.length}
    >${o.icon ?? html`<span>${o.label}</span>`} ${current}</button>
    <div id=${o.id} class="choices" part="choices" popover ?data-up=${o.up} role="group" aria-label=${o.label} @beforetoggle=${place}>
      ${o.devices.map(
        (d, i) => html`<button
          aria-current=${d.deviceId === o.current ? 'true' : 'false'}
          ?disabled=${o.disabled}
          @click=${(e: Event) => {
            // Focus back on the button (Safari does not focus what is clicked), then close.
            const list = (e.currentTarget as Element).parentElement as HTMLElement;
            (list.previousElementSibling as HTMLElement).focus();
            list.hidePopover();
            if (d.deviceId !== o.current) o.choose(d.deviceId);
          }}
        >${names[i]}</button>`,
      )}
    </div>`;
}

// Opening: under its button (above it for `up`), or on the other side where the viewport ends,
// as tall as the room there (it scrolls); lined up with the button's start edge (its right edge
// right to left); the current choice focused. Placed once shown, before that frame is painted
// (the toggle event comes after a frame: the list would show where it was last, or in the corner).
// Once its button is out of view (hidden, or scrolled out of the window or of a box holding it:
// what an intersection observer sees), it closes.
function place(e: Event): void {
  // The target now: a shadow tree's event has none once dispatched.
  const list = e.target as HTMLElement;
  if ((e as ToggleEvent).newState === 'open') {
    const seen = new IntersectionObserver(
      (entries) => entries.pop()?.isIntersecting || list.hidePopover(),
    );
    seen.observe(list.previousElementSibling as Element);
    requestAnimationFrame(() => follow(list, '', seen));
  }
}

// Then it follows its button, a frame at a time while open: moved by any scroll (the page's, a
// box's, one inside a shadow root, whose events do not leave it), by the button's label, the
// list's rows or the window's size changing, it is placed anew. Closed or taken off the page, it
// stops.
function follow(list: HTMLElement, was: string, seen: IntersectionObserver): void {
  if (!list.matches(':popover-open')) {
    seen.disconnect();
    return;
  }
  const anchor = list.previousElementSibling as HTMLElement;
  const at = anchor.getBoundingClientRect();
  // The layout viewport, where client rects and fixed boxes are (innerHeight is the visual
  // viewport's: it shrinks as a phone zooms in).
  const { clientWidth, clientHeight } = document.documentElement;
  const now = `${at.top} ${at.left} ${at.right} ${at.bottom} ${clientWidth} ${clientHeight} ${list.scrollHeight}`;
  if (now !== was) {
    placeBy(list, anchor, at, clientWidth, clientHeight);
    if (!was) list.querySelector<HTMLElement>('[aria-current="true"]')?.focus();
  }
  requestAnimationFrame(() => follow(list, now, seen));
}

function placeBy(
  list: HTMLElement,
  anchor: HTMLElement,
  at: DOMRect,
  viewWidth: number,
  viewHeight: number,
): void {
  const style = list.style;
  // Its whole height, whatever its max-height now (clearing that would lose its scroll).
  const height = list.scrollHeight + list.offsetHeight - list.clientHeight;
  const above = at.top;
  const below = viewHeight - at.bottom;
  // Where it fits, the side asked for first; else the roomier side, scrolling (the other side
  // has more room whenever it alone fits).
  const up =
    list.dataset.up === undefined
      ? below < height && above > below
      : above >= height || above >= below;
  const shown = Math.min(height, up ? above : below);
  style.maxHeight = shown < height ? `${shown}px` : '';
  // Measured once its height is set: a scrollbar may have widened it.
  const width = list.offsetWidth;
  const start = getComputedStyle(anchor).direction === 'rtl' ? at.right - width : at.left;
  style.left = `${Math.max(0, Math.min(start, viewWidth - width))}px`;
  style.top = `${up ? above - shown : at.bottom}px`;
}

/**
 * The pickers' look: the button as the element draws its buttons, the list in
 * the element's palette; and the microphone's meter as a level (a green peak on
 * a track), not a progress bar. Before the element's own styles, which may recolour them.
 */
export const deviceMenuStyles = css`
  .pick {
    max-width: 12rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .pick span {
    opacity: 0.75;
  }
  .pick svg {
    width: 16px;
    height: 16px;
    vertical-align: -3px;
  }
  .pick::after {
    content: '▾' / '';
    margin-inline-start: calc(var(--_s) * 1.6);
  }
  @supports not selector(:popover-open) {
    .choices {
      display: none;
    }
  }
  .choices {
    position: fixed;
    inset: auto;
    margin: 0;
    padding: var(--_s);
    /* Its max-height is its whole height; as wide as before (10rem inside). */
    box-sizing: border-box;
    min-width: 170px;
    border: 1px solid var(--_line);
    border-radius: calc(var(--_r) * 0.75);
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .choices button {
    display: block;
    width: 100%;
    border: 0;
    text-align: start;
    font-weight: normal;
    background: none;
    color: inherit;
  }
  .choices button:hover {
    background: rgb(128 128 128 / 20%);
  }
  .choices [aria-current='true']::before {
    content: '✓' / '';
    margin-inline-end: calc(var(--_s) * 1.6);
  }
  meter {
    appearance: none;
    height: 0.5rem;
    border-radius: calc(var(--_r) / 2);
    background: var(--_soft);
  }
  meter::-webkit-meter-bar {
    background: var(--_soft);
    border: 0;
    border-radius: calc(var(--_r) / 2);
  }
  meter::-webkit-meter-optimum-value {
    background: var(--_ok);
    border-radius: calc(var(--_r) / 2);
  }
  meter::-moz-meter-bar {
    background: var(--_ok);
  }
`;
