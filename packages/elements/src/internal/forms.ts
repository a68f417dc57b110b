import type { OnAirError } from '@onair/core';
import { MAX_SUBSCRIBER_TIER, type StreamPrivacy } from '@onair/protocol';
import { html, nothing } from 'lit';
import type { MessageKey } from './i18n.js';

/** The privacy choices of the scheduler and the settings, with their labels. */
export const PRIVACY_OPTIONS: Array<[StreamPrivacy, MessageKey]> = [
  ['public', 'privacyPublic'],
  ['unlisted', 'privacyUnlisted'],
  ['followers', 'privacyFollowers'],
  ['subscribers', 'privacySubscribers'],
  ['private', 'privacyPrivate'],
];

/**
 * The minimum tier field of a `subscribers` stream (1 to the highest a host
 * app's token may give); nothing for any other privacy.
 */
export function tierField(label: string, privacy: StreamPrivacy, tier = 1, invalid = false) {
  return privacy === 'subscribers'
    ? html`<label>${label}<input name="minTier" type="number" required min="1" max=${MAX_SUBSCRIBER_TIER} .value=${String(tier)} aria-invalid=${invalid} /></label>`
    : nothing;
}

/** `datetime-local` value (local time) of an ISO timestamp. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** ISO timestamp of a `datetime-local` value, or null when empty. */
export function fromLocalInput(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** Tags from a comma-separated field. */
export function parseTags(value: string): string[] {
  return value
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** Field paths a VALIDATION_FAILED / UNPROCESSABLE error points at. */
export function invalidFields(error: OnAirError | null): Set<string> {
  const issues = (error?.details?.issues ?? []) as Array<{ path?: unknown }>;
  return new Set(issues.map((issue) => String(issue.path ?? '').split('.')[0] ?? ''));
}

/** What a thumbnail's file input accepts (what the server takes: it re-encodes them as JPEG). */
export const IMAGE_TYPES = 'image/jpeg,image/png,image/webp';

/** The image chosen in a form's `thumbnail` file input, if any. */
export function chosenImage(data: FormData): File | undefined {
  const file = data.get('thumbnail');
  return file instanceof File && file.size > 0 ? file : undefined;
}
