import { OnAirError } from '@onair/core';
import { AppError } from './api.js';

/** An element of the page by id (the pages' ids are fixed: a missing one is a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
}

/** What went wrong, for people: the code says what kind, the message what exactly. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof AppError || error instanceof OnAirError) {
    return { code: error.code, message: error.message };
  }
  return OnAirError.from(error);
}

/** Shows an error in the page's `#error` banner (or hides it with `null`). */
export function showError(error: unknown): void {
  const banner = byId('error');
  if (error === null) {
    banner.hidden = true;
    return;
  }
  const { code, message } = describeError(error);
  banner.dataset.code = code;
  banner.textContent = `${message} (${code})`;
  banner.hidden = false;
}

/** Runs an action, showing its error if it fails. */
export async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}
