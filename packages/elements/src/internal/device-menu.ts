import type { CaptureDevice } from '@onair/core';
import { html, type TemplateResult } from 'lit';

/** What {@link deviceMenu} shows. */
export interface DeviceMenuOptions {
  /** The id of its list, unique in the shadow root. */
  id: string;
  /** The label (translated): "Camera", "Microphone", "Quality". */
  label: string;
  /** Shown instead of the label, which stays its accessible name's start. */
  icon?: TemplateResult | undefined;
  /** The choices; one without a label (before permission) is numbered. */
  devices: readonly CaptureDevice[];
  /** The one in use. */
  current: string | null;
  disabled: boolean;
  choose(deviceId: string): void;
}

/**
 * A picker as a menu, as video-call lobbies have: a button naming what is in
 * use ("Camera: FaceTime HD") that opens the list over everything (a
 * popover: Escape or a click outside closes it, focus goes to the current
 * choice and back to the button), the current choice checked. A disclosure,
 * not an ARIA menu: its choices are buttons reached with Tab.
 */
export function deviceMenu(o: DeviceMenuOptions) {
  const names = o.devices.map((d, i) => d.label || `${o.label} ${i + 1}`);
  const current = names[o.devices.findIndex((d) => d.deviceId === o.current)] ?? '';
  return html`<button
      class="pick"
      popovertarget=${o.id}
      aria-label=${`${o.label}: ${current}`}
      title=${current}
      ?disabled=${o.disabled || !o.devices.length}
    >${o.icon ?? html`<span>${o.label}</span>`} ${current}</button>
    <div id=${o.id} class="choices" part="choices" popover role="group" aria-label=${o.label} @toggle=${place}>
      ${o.devices.map(
        (d, i) => html`<button
          aria-current=${d.deviceId === o.current ? 'true' : 'false'}
          @click=${(e: Event) => {
            ((e.currentTarget as Element).parentElement as HTMLElement).hidePopover();
            if (d.deviceId !== o.current) o.choose(d.deviceId);
          }}
        >${names[i]}</button>`,
      )}
    </div>`;
}

// Opened: under its button, or above it where the viewport ends; the current choice focused.
function place(e: Event): void {
  const list = e.target as HTMLElement;
  if ((e as ToggleEvent).newState !== 'open') return;
  const at = (list.previousElementSibling as HTMLElement).getBoundingClientRect();
  const below = innerHeight - at.bottom >= list.offsetHeight;
  list.style.left = `${Math.max(0, Math.min(at.left, innerWidth - list.offsetWidth))}px`;
  list.style.top = `${below ? at.bottom : Math.max(0, at.top - list.offsetHeight)}px`;
  list.querySelector<HTMLElement>('[aria-current="true"]')?.focus();
}
