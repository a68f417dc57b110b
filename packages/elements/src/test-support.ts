import { OnAirClient, Publisher } from '@onair/core';
import { StageStore } from '@onair/core/stage';
import { DevTokenResponseSchema, type Stream } from '@onair/protocol';
import { afterEach, expect } from 'vitest';

/**
 * Test-only: a signed-in client against the browser project's real server
 * (via the test proxy), optionally making its REST calls through `fetch`.
 */
export async function signedInClient(
  displayName: string,
  fetchImpl?: typeof fetch,
): Promise<OnAirClient> {
  return (await signedInUser(displayName, fetchImpl)).client;
}

/** Test-only: {@link signedInClient}, with the user id the server gave the user. */
export async function signedInUser(
  displayName: string,
  fetchImpl?: typeof fetch,
): Promise<{ client: OnAirClient; userId: string }> {
  // Same origin: the test page proxies OnAir routes to the real server.
  const baseUrl = location.origin;
  const response = await fetch(`${baseUrl}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  const { token, user } = DevTokenResponseSchema.parse(await response.json());
  const client = new OnAirClient({ baseUrl, token, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return { client, userId: user.id };
}

/** Test-only: a stream owned by `client`'s user, optionally started. */
export async function createStream(client: OnAirClient, live: boolean): Promise<Stream> {
  const { stream } = await client.streams.create({ title: 'Element test' });
  return live ? client.streams.start(stream.id) : stream;
}

/** Mounts `html` in a fresh container and returns it. */
export function mount(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  return container;
}

/**
 * Test-only: a `fetch` that holds back the requests whose URL contains
 * `held` until `release()` (to decide the order in which lookups answer).
 */
export function heldFetch(held: string): {
  fetch: typeof fetch;
  /** Resolves once a held request was made. */
  requested: Promise<void>;
  /** Lets the held requests go on; resolves when their responses arrived. */
  release(): Promise<void>;
} {
  let gate!: () => void;
  const opened = new Promise<void>((resolve) => {
    gate = resolve;
  });
  let seen!: () => void;
  const requested = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const answered: Array<Promise<unknown>> = [];
  const fetchImpl: typeof fetch = (input, init) => {
    if (!String(input).includes(held)) return fetch(input, init);
    seen();
    const response = opened.then(() => fetch(input, init));
    answered.push(response.catch(() => undefined));
    return response;
  };
  return {
    fetch: fetchImpl,
    requested,
    release: async () => {
      gate();
      await Promise.all(answered);
    },
  };
}

/**
 * Test-only: a stage store of `userId` listened to (stores work while
 * listened to) until the functions in `cleanup` run.
 */
export function listenedStageStore(
  client: OnAirClient,
  streamId: string,
  userId: string,
  cleanup: Array<() => void>,
): StageStore {
  const store = new StageStore(client, streamId, { userId });
  cleanup.push(store.subscribe(() => undefined));
  return store;
}

/**
 * Test-only: a list of undo functions that run, and empty the page, after
 * each test of the file that calls this (at its top level).
 */
export function cleanedAfterEach(): Array<() => void> {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const undo of cleanup.splice(0)) undo();
    document.body.innerHTML = '';
  });
  return cleanup;
}

/** Test-only: `client`'s user publishing on the stream (fake devices, 360p) until `cleanup` runs. */
export async function publishing(
  client: OnAirClient,
  streamId: string,
  cleanup: Array<() => void>,
): Promise<Publisher> {
  const publisher = new Publisher(client, { streamId, quality: '360p' });
  cleanup.push(() => void publisher.stop());
  await publisher.publish();
  return publisher;
}

/** Test-only: a PNG image drawn on a canvas, as a `File` a form's file input could hold. */
export async function pngFile(width = 320, height = 180): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  context.fillStyle = '#3366ff';
  context.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error('no PNG'))), 'image/png'),
  );
  return new File([blob], 'thumbnail.png', { type: 'image/png' });
}

/** Test-only: puts `files` in a file input, as a person choosing them would. */
export function chooseFiles(input: HTMLInputElement, files: File[]): void {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
}

/** Test-only: a picker's button, by its label ("Camera"), its list and the list's choices. */
export function picker(root: ShadowRoot, label: string) {
  const open = [...root.querySelectorAll<HTMLButtonElement>('.pick')].find((b) =>
    b.ariaLabel?.startsWith(`${label}: `),
  );
  if (!open) throw new Error(`no picker ${label}`);
  const list = root.getElementById(open.getAttribute('popovertarget') ?? '') as HTMLElement;
  const choices = [...list.querySelectorAll('button')];
  return { open, list, choices, names: choices.map((c) => c.textContent?.trim()) };
}

/**
 * Test-only: picks `name` as a user does: opens the list (over the page, by its button,
 * the current choice focused) and clicks the choice, which closes it.
 */
export async function choose(root: ShadowRoot, label: string, name: string): Promise<void> {
  // Its choices wait while a choice before is applied.
  await expect
    .poll(() => picker(root, label).choices[0]?.disabled, { timeout: 10_000 })
    .toBe(false);
  const { open, list, choices, names } = picker(root, label);
  open.click();
  expect(list.matches(':popover-open')).toBe(true);
  // Placed before its first frame is painted (and the current choice focused then).
  await new Promise(requestAnimationFrame);
  expect(root.activeElement?.getAttribute('aria-current')).toBe('true');
  const [at, box] = [open, list].map((e) => e.getBoundingClientRect()) as [DOMRect, DOMRect];
  expect(box.top >= at.bottom - 1 || box.bottom <= at.top + 1).toBe(true);
  expect(box.top).toBeGreaterThanOrEqual(0);
  expect(box.bottom).toBeLessThanOrEqual(innerHeight);
  const choice = choices[names.indexOf(name)];
  if (!choice) throw new Error(`no ${name} in ${names.join(', ')}`);
  choice.click();
  expect(list.matches(':popover-open')).toBe(false);
}
