import { describe, expect, it } from 'vitest';
import {
  choose,
  cleanedAfterEach,
  createStream,
  listenedStageStore,
  mount,
  picker,
  signedInUser,
} from '../test-support.js';
import './onair-stage-join.js';
import type { OnAirStageJoinElement } from './stage-join.component.js';

/*
 * A viewer's way onto the stage in Chromium against the real server: raise
 * a hand, be brought on stage by the host, check the camera and microphone,
 * join (publish with the fake devices), and be taken off again by the host.
 */

const cleanup = cleanedAfterEach();

function button(el: OnAirStageJoinElement, name: string): HTMLButtonElement {
  const found = [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent?.trim() === name,
  );
  if (!found) throw new Error(`no button ${name} in step ${el.dataset.step}`);
  return found;
}

describe('<onair-stage-join>', () => {
  it('raises a hand, checks the devices and joins once invited, and stops when taken off', async () => {
    const host = await signedInUser('Join host');
    const viewer = await signedInUser('Joiner');
    const stream = await createStream(host.client, true);
    const hostStage = listenedStageStore(host.client, stream.id, host.userId, cleanup);
    const el = mount('<onair-stage-join></onair-stage-join>').querySelector(
      'onair-stage-join',
    ) as OnAirStageJoinElement;
    el.client = viewer.client;
    el.userId = viewer.userId;
    el.streamId = stream.id;
    await expect.poll(() => el.dataset.step, { timeout: 10_000 }).toBe('idle');

    button(el, 'Raise hand').click();
    await expect.poll(() => el.dataset.step).toBe('hand-raised');
    await expect
      .poll(() => hostStage.getSnapshot().stage?.hands.map((h) => h.user.id))
      .toEqual([viewer.userId]);
    button(el, 'Lower hand').click();
    await expect.poll(() => el.dataset.step).toBe('idle');
    await expect.poll(() => hostStage.getSnapshot().stage?.hands).toEqual([]);

    button(el, 'Raise hand').click();
    await expect.poll(() => el.dataset.step).toBe('hand-raised');
    await hostStage.invite(viewer.userId, 'guest');
    await expect.poll(() => el.dataset.step).toBe('invited');

    // The device check: a preview of the camera and a meter of the microphone.
    button(el, 'Check your camera and microphone, then join').click();
    const preview = () => el.shadowRoot?.querySelector('video') as HTMLVideoElement | null;
    await expect.poll(() => preview()?.videoWidth ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(el.shadowRoot?.querySelector('meter')).not.toBeNull();
    // Other devices to choose: the third fake camera and the second microphone, live.
    const root = el.shadowRoot as ShadowRoot;
    await expect.poll(() => picker(root, 'Camera').choices.length).toBe(3);
    const ids = (label: string) => picker(root, label).choices.map((c) => c.textContent?.trim());
    const [cameras, microphones] = [ids('Camera'), ids('Microphone')];
    await choose(root, 'Camera', cameras[2] ?? '');
    await choose(root, 'Microphone', microphones[1] ?? '');
    await expect
      .poll(() => picker(root, 'Microphone').open.ariaLabel)
      .toBe(`Microphone: ${microphones[1]}`);

    // The preview shows what was chosen.
    const inUse = () => {
      const stream = preview()?.srcObject as MediaStream | null;
      return [stream?.getVideoTracks()[0], stream?.getAudioTracks()[0]].map((t) => t?.label);
    };
    await expect.poll(inUse, { timeout: 10_000 }).toEqual([cameras[2], microphones[1]]);
    await expect.poll(() => preview()?.videoWidth ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);

    button(el, 'Join stage').click();
    await expect.poll(() => el.dataset.step, { timeout: 20_000 }).toBe('on-stage');
    await expect
      .poll(() => hostStage.getSnapshot().stage?.members.map((m) => m.publishing), {
        timeout: 10_000,
      })
      .toEqual([true]);

    // The host takes them off: their publishing stops, they watch again.
    await hostStage.remove(viewer.userId);
    await expect.poll(() => el.dataset.step, { timeout: 15_000 }).toBe('idle');
    await expect
      .poll(() => hostStage.getSnapshot().stage?.members.length, { timeout: 10_000 })
      .toBe(0);
  });

  it('is hidden for the host; a hand raised before the stream is live is refused with its code', async () => {
    const host = await signedInUser('Hidden host');
    const live = await createStream(host.client, true);
    const scheduled = await createStream(host.client, false);
    const el = mount('<onair-stage-join></onair-stage-join>').querySelector(
      'onair-stage-join',
    ) as OnAirStageJoinElement;
    el.client = host.client;
    el.userId = host.userId;
    el.streamId = live.id;
    const hostStage = listenedStageStore(host.client, live.id, host.userId, cleanup);
    await expect.poll(() => hostStage.getSnapshot().myRole).toBe('host');
    expect(el.dataset.step).toBe('unavailable');
    expect(getComputedStyle(el).display).toBe('none');

    const viewer = await signedInUser('Early viewer');
    el.client = viewer.client;
    el.userId = viewer.userId;
    el.streamId = scheduled.id;
    await expect.poll(() => el.dataset.step, { timeout: 10_000 }).toBe('idle');
    button(el, 'Raise hand').click();
    await expect
      .poll(() => el.shadowRoot?.querySelector('[role="alert"]')?.getAttribute('data-code'))
      .toBe('STREAM_NOT_LIVE');
  });
});
