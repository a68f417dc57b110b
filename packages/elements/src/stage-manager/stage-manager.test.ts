import type { OnAirClient } from '@onair/core';
import { describe, expect, it } from 'vitest';
import {
  cleanedAfterEach,
  createStream,
  listenedStageStore,
  mount,
  signedInUser,
} from '../test-support.js';
import './onair-stage-manager.js';
import type { OnAirStageManagerElement } from './stage-manager.component.js';

/*
 * The owner's stage controls in Chromium against the real server: a viewer
 * raises a hand, the owner's <onair-stage-manager> brings them on stage as a
 * guest, mutes them, switches the HLS picture's layout and takes them off
 * again, invites a co-host by id, and
 * shows the server's refusals (an unknown user, someone who does not manage
 * the stage) in its alert with their codes.
 */

const cleanup = cleanedAfterEach();

/** A manager element for `user` on `streamId`, once its stage has loaded. */
async function manager(
  user: { client: OnAirClient; userId: string },
  streamId: string,
): Promise<OnAirStageManagerElement> {
  const el = mount('<onair-stage-manager></onair-stage-manager>').querySelector(
    'onair-stage-manager',
  ) as OnAirStageManagerElement;
  el.client = user.client;
  el.streamId = streamId;
  el.userId = user.userId;
  await expect.poll(() => el.dataset.status, { timeout: 10_000 }).toBe('ready');
  return el;
}

const root = (el: OnAirStageManagerElement) => el.shadowRoot as ShadowRoot;
const rows = (el: OnAirStageManagerElement, part: 'hands' | 'members') => [
  ...root(el).querySelectorAll<HTMLElement>(`[part="${part}"] [part="row"]`),
];
const button = (el: OnAirStageManagerElement, label: string) =>
  root(el).querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim();

/** Types `userId` in the invite form and submits it. */
async function invite(el: OnAirStageManagerElement, userId: string): Promise<HTMLInputElement> {
  const input = root(el).querySelector('input') as HTMLInputElement;
  input.value = userId;
  (root(el).querySelector('[part="invite"]') as HTMLFormElement).requestSubmit();
  await el.updateComplete;
  return input;
}

describe('<onair-stage-manager>', () => {
  it('brings a raised hand on stage as a guest, mutes them and takes them off', async () => {
    const host = await signedInUser('Manager host');
    const viewer = await signedInUser('Vera');
    const stream = await createStream(host.client, true);
    const el = await manager(host, stream.id);
    expect(el.dataset.hands).toBe('0');
    expect(el.dataset.members).toBe('0');
    expect(text(root(el).querySelector('[part="hands"] .empty'))).toBe('No raised hands');
    expect(text(root(el).querySelector('[part="members"] .empty'))).toBe('Nobody else is on stage');

    // A viewer raises a hand: it shows for the owner, with buttons naming them.
    const viewerStage = listenedStageStore(viewer.client, stream.id, viewer.userId, cleanup);
    await expect.poll(() => viewerStage.getSnapshot().status).toBe('ready');
    await viewerStage.raiseHand();
    await expect.poll(() => el.dataset.hands, { timeout: 10_000 }).toBe('1');
    expect(rows(el, 'hands').map((row) => text(row.querySelector('.name')))).toEqual(['Vera']);
    expect(rows(el, 'hands')[0]?.dataset.userId).toBe(viewer.userId);
    expect(button(el, 'Dismiss: Vera')).not.toBeNull();

    // "Bring on stage": disabled while it runs, then the viewer is a guest, and
    // the focus it held goes to the hands' heading (no other hand to go to).
    const bringOn = button(el, 'Bring on stage: Vera') as HTMLButtonElement;
    bringOn.focus();
    bringOn.click();
    await el.updateComplete;
    expect(bringOn.disabled).toBe(true);
    await expect.poll(() => viewerStage.getSnapshot().myRole).toBe('guest');
    await expect.poll(() => el.dataset.members).toBe('1');
    expect(el.dataset.hands).toBe('0');
    await expect.poll(() => root(el).activeElement?.id).toBe('hands-title');
    const vera = () => rows(el, 'members').find((row) => row.dataset.userId === viewer.userId);
    expect(vera()?.dataset.role).toBe('guest');
    expect(text(vera()?.querySelector('.facts'))).toBe('Guest Not sending yet');
    expect(vera()?.hasAttribute('data-publishing')).toBe(false);

    // Muted by the host: the row says so, the viewer's own stage has it, the button unmutes.
    button(el, 'Mute: Vera')?.click();
    await expect.poll(() => vera()?.hasAttribute('data-muted')).toBe(true);
    expect(text(vera()?.querySelector('.muted-mark'))).toBe('Muted by the host');
    await expect
      .poll(() => viewerStage.getSnapshot().stage?.members.map((m) => m.mutedByHost))
      .toEqual([true]);
    expect(text(button(el, 'Unmute: Vera'))).toBe('Unmute');

    // The picture HLS viewers get: grid at first, then whoever speaks, for everyone.
    const layoutButton = (layout: string) =>
      root(el).querySelector<HTMLButtonElement>(`[part="layout"] [data-action="${layout}"]`);
    expect(text(root(el).querySelector('#layout-title'))).toBe('Picture for HLS viewers');
    expect(layoutButton('grid')?.getAttribute('aria-pressed')).toBe('true');
    layoutButton('speaker')?.click();
    await expect.poll(() => layoutButton('speaker')?.getAttribute('aria-pressed')).toBe('true');
    expect(layoutButton('grid')?.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => viewerStage.getSnapshot().stage?.layout).toBe('speaker');

    // Taken off the stage.
    button(el, 'Remove from stage: Vera')?.click();
    await expect.poll(() => el.dataset.members).toBe('0');
    await expect.poll(() => viewerStage.getSnapshot().myRole).toBeNull();
    expect(root(el).querySelector('[role="alert"]')).toBeNull();
  });

  it('invites a co-host by id, and shows the refusals of the server with their codes', async () => {
    const host = await signedInUser('Inviting host');
    const viewer = await signedInUser('Wade');
    const cohost = await signedInUser('Cole');
    const outsider = await signedInUser('Otto');
    const stream = await createStream(host.client, true);
    const el = await manager(host, stream.id);
    const viewerStage = listenedStageStore(viewer.client, stream.id, viewer.userId, cleanup);
    await expect.poll(() => viewerStage.getSnapshot().status).toBe('ready');

    // A co-host invited by id (their first connection makes them known to the server).
    await cohost.client.realtime.connect();
    const input = await invite(el, cohost.userId);
    expect(root(el).querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
    await expect.poll(() => el.dataset.members).toBe('1');
    const cole = rows(el, 'members')[0];
    expect(cole?.dataset.userId).toBe(cohost.userId);
    expect(cole?.dataset.role).toBe('cohost');
    expect(text(cole?.querySelector('.role'))).toBe('Co-host');
    await expect.poll(() => input.value).toBe('');

    // A user the server never saw: NOT_FOUND in the alert, and the id stays to correct.
    await invite(el, 'usr_nobody');
    await expect
      .poll(() => root(el).querySelector<HTMLElement>('[role="alert"]')?.dataset.code)
      .toBe('NOT_FOUND');
    expect(input.value).toBe('usr_nobody');
    expect(el.dataset.members).toBe('1');

    // Someone who does not manage the stage sees no hands and is refused: FORBIDDEN.
    await viewerStage.raiseHand();
    await expect.poll(() => el.dataset.hands).toBe('1');
    const other = await manager(outsider, stream.id);
    expect(other.dataset.hands).toBe('0');
    expect(other.dataset.members).toBe('1');
    await invite(other, viewer.userId);
    const alert = () => root(other).querySelector<HTMLElement>('[role="alert"]');
    await expect.poll(() => alert()?.dataset.code).toBe('FORBIDDEN');
    expect(text(alert())).toMatch(/owner and moderators/);
    expect(viewerStage.getSnapshot().myRole).toBeNull();

    // The owner dismisses the hand: it is lowered for the viewer too.
    button(el, 'Dismiss: Wade')?.click();
    await expect.poll(() => el.dataset.hands).toBe('0');
    await expect.poll(() => viewerStage.getSnapshot().handRaised).toBe(false);
  });
});
