import type { CaptureDevice } from '@onair/core';
import { html } from 'lit';

/** What {@link deviceSelect} shows. */
export interface DeviceSelectOptions {
  /** The label (translated): "Camera", "Microphone". */
  label: string;
  devices: readonly CaptureDevice[];
  /** The device in use. */
  current: string | null;
  disabled: boolean;
  choose(deviceId: string): void;
}

/**
 * A labelled picker of capture devices (a camera or a microphone): devices
 * without a label yet (before permission) are numbered.
 */
export const deviceSelect = (o: DeviceSelectOptions) => html`<label>
  ${o.label}
  <select
    aria-label=${o.label}
    ?disabled=${o.disabled || o.devices.length === 0}
    @change=${(e: Event) => o.choose((e.target as HTMLSelectElement).value)}
  >
    ${o.devices.map(
      (d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === o.current}>
        ${d.label || `${o.label} ${i + 1}`}
      </option>`,
    )}
  </select>
</label>`;
