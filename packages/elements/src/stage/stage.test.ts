import { describe, expect, it } from 'vitest';
import type { OnAirPlayerElement } from '../player/player.component.js';
import {
  cleanedAfterEach,
  createStream,
  listenedStageStore,
  mount,
  publishing,
  signedInUser,
} from '../test-support.js';
import '../player/onair-player.js';
import './onair-stage.js';
import type { OnAirStageElement } from './stage.component.js';

/*
 * The stage end to end in Chromium against the real server: the owner and a
 * co-host publish (fake camera and microphone), a viewer raises a hand and
 * is brought on stage as a guest and publishes, a real-time viewer's
 * <onair-stage> shows all three with their names, marks the one the host
 * muted and who speaks, gives the large tile to the co-host while they
 * share a screen, and the guest taken off the stage disappears.
 */

const cleanup = cleanedAfterEach();

const tiles = (el: OnAirStageElement) => [
  ...(el.shadowRoot?.querySelectorAll<HTMLElement>('[part="tile"]') ?? []),
];
const names = (el: OnAirStageElement) =>
  tiles(el).map((t) => t.querySelector('.name')?.textContent?.trim());

describe('<onair-stage>', () => {
  it('shows everyone on stage to a real-time viewer, as they come, are muted and leave', async () => {
    const host = await signedInUser('Stage host');
    const cohost = await signedInUser('Cora');
    const guest = await signedInUser('Gil');
    const viewer = await signedInUser('Vic');
    const stream = await createStream(host.client, true);
    const hostStage = listenedStageStore(host.client, stream.id, host.userId, cleanup);
    const guestStage = listenedStageStore(guest.client, stream.id, guest.userId, cleanup);
    await expect.poll(() => hostStage.getSnapshot().status).toBe('ready');

    await publishing(host.client, stream.id, cleanup);
    // The co-host's first connection makes them known to the server.
    await cohost.client.realtime.connect();
    await hostStage.invite(cohost.userId, 'cohost');
    const cohostPublisher = await publishing(cohost.client, stream.id, cleanup);

    const page = mount(`
      <onair-player id="stage-player" realtime muted></onair-player>
      <onair-stage for="stage-player" host-name="Stage host"></onair-stage>
    `);
    const player = page.querySelector('onair-player') as OnAirPlayerElement;
    const stage = page.querySelector('onair-stage') as OnAirStageElement;
    player.client = viewer.client;
    player.streamId = stream.id;
    stage.stage = listenedStageStore(viewer.client, stream.id, viewer.userId, cleanup);
    await expect.poll(() => names(stage), { timeout: 20_000 }).toEqual(['Stage host', 'Cora']);

    // A viewer raises a hand; the host sees it and brings them on stage; they publish.
    await expect.poll(() => guestStage.getSnapshot().status).toBe('ready');
    await guestStage.raiseHand();
    await expect
      .poll(() => hostStage.getSnapshot().stage?.hands.map((h) => h.user.displayName))
      .toEqual(['Gil']);
    await hostStage.invite(guest.userId, 'guest');
    await expect.poll(() => guestStage.getSnapshot().myRole).toBe('guest');
    const guestPublisher = await publishing(guest.client, stream.id, cleanup);
    await expect
      .poll(() => names(stage), { timeout: 20_000 })
      .toEqual(['Stage host', 'Cora', 'Gil']);
    expect(stage.dataset.count).toBe('3');
    // Every tile plays its person's picture.
    const widths = () => tiles(stage).map((t) => t.querySelector('video')?.videoWidth ?? 0);
    await expect.poll(() => widths().every((w) => w > 0), { timeout: 15_000 }).toBe(true);
    expect(widths()).toHaveLength(3);
    // Their microphones' levels come with their audio: the fake microphone beeps.
    await expect
      .poll(() => tiles(stage).some((t) => t.hasAttribute('data-speaking')), { timeout: 15_000 })
      .toBe(true);

    // The guest's microphone is heard (their audio came); muted by the host, the tile says so.
    const gil = () => tiles(stage).find((t) => t.dataset.userId === guest.userId);
    await expect.poll(() => gil()?.hasAttribute('data-muted'), { timeout: 10_000 }).toBe(false);
    await hostStage.setMuted(guest.userId, true);
    await expect.poll(() => gil()?.hasAttribute('data-muted')).toBe(true);
    expect(gil()?.querySelector('.mic-off')?.getAttribute('aria-label')).toBe('Muted by the host');

    // The co-host shares a screen: their tile takes the large place, even in the grid.
    await cohostPublisher.startScreenShare();
    const large = () => stage.shadowRoot?.querySelector<HTMLElement>('.tile.large') ?? null;
    await expect.poll(() => large()?.dataset.userId, { timeout: 10_000 }).toBe(cohost.userId);
    expect(large()?.hasAttribute('data-screen')).toBe(true);
    await cohostPublisher.stopScreenShare();
    await expect.poll(() => large(), { timeout: 10_000 }).toBeNull();

    // The speaker layout: one large tile, the others in a strip.
    stage.layout = 'speaker';
    await stage.updateComplete;
    expect(stage.shadowRoot?.querySelectorAll('.tile.large')).toHaveLength(1);
    expect(stage.shadowRoot?.querySelectorAll('.strip .tile')).toHaveLength(2);

    // Taken off the stage: the guest's tile goes for the viewer, and their publishing ends.
    await hostStage.remove(guest.userId);
    await expect
      .poll(() => names(stage).sort(), { timeout: 10_000 })
      .toEqual(['Cora', 'Stage host']);
    await expect
      .poll(() => guestPublisher.getSnapshot().status, { timeout: 15_000 })
      .not.toBe('live');
  });
});
