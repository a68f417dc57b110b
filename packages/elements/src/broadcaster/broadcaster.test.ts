import { streamAnalytics } from '@onair/core/analytics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { choose, createStream, mount, picker, signedInClient } from '../test-support.js';
import './onair-broadcaster.js';
import '../translations/es.js';
import type { OnAirBroadcasterElement } from './broadcaster.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

function button(el: OnAirBroadcasterElement, name: string): HTMLButtonElement {
  const found = [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent?.trim() === name,
  );
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

/** A studio for a new (scheduled) stream of a new signed-in user, rendered. */
async function studio(name: string, confirm = false, qualityPreset?: '1080p') {
  const client = await signedInClient(name);
  const stream = qualityPreset
    ? (await client.streams.create({ title: name, qualityPreset })).stream
    : await createStream(client, false);
  const el = mount(
    `<onair-broadcaster countdown="0"${confirm ? '' : ' no-confirm'}></onair-broadcaster>`,
  ).querySelector('onair-broadcaster') as OnAirBroadcasterElement;
  el.client = client;
  el.streamId = stream.id;
  await el.updateComplete;
  return { client, stream, el };
}

describe('<onair-broadcaster>', () => {
  it('previews the camera, goes live (starting the stream) and ends', async () => {
    const client = await signedInClient('Teacher');
    const stream = await createStream(client, false);
    const container = mount('<onair-broadcaster no-confirm></onair-broadcaster>');
    const el = container.querySelector('onair-broadcaster') as OnAirBroadcasterElement;
    const statuses: string[] = [];
    // What the render that went live shows (the event follows it): the timer from the start.
    const label = () => el.shadowRoot?.querySelector('.status')?.textContent?.trim();
    let liveLabel: string | undefined;
    el.addEventListener('onair-broadcaster-status', (e) => {
      statuses.push(e.detail.status);
      if (e.detail.status === 'live') liveLabel = label();
    });
    el.client = client;
    el.streamId = stream.id;
    await el.updateComplete;

    // The lobby: what to do first, over the empty preview, and the button that does it.
    const lobby = () => el.shadowRoot?.querySelector('[part="lobby"]');
    expect(lobby()?.textContent).toContain('Check your camera and microphone, then go live.');
    expect(label()).toBe('This stream is not live');
    // By keyboard: the lobby's button goes with the lobby, and focus goes on to Go live.
    lobby()?.querySelector('button')?.focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => el.dataset.status).toBe('previewing');
    expect(lobby()).toBeNull();
    await expect.poll(() => el.shadowRoot?.activeElement).toBe(button(el, 'Go live'));
    expect(() => button(el, 'Start camera')).toThrow();
    // The microphone's level beside its picker: Chromium's fake microphone beeps.
    const meter = () => el.shadowRoot?.querySelector('meter');
    expect(meter()?.getAttribute('aria-label')).toBe('Microphone');
    // Its beeps peak near -33 dBFS: a third of the way up a 60 dB scale.
    await expect.poll(() => meter()?.value ?? 0, { timeout: 10_000 }).toBeGreaterThan(0.3);
    const video = el.shadowRoot?.querySelector('video') as HTMLVideoElement;
    expect(video.srcObject).toBeInstanceOf(MediaStream);

    // "Go live" counts down from 3 over the preview; its button cancels meanwhile.
    const countdown = () => el.shadowRoot?.querySelector('[part="countdown"]')?.textContent;
    button(el, 'Go live').click();
    await el.updateComplete;
    expect(countdown()).toBe('3');
    expect(label()).toBe('Going live in 3…');
    await expect.poll(countdown, { timeout: 3000 }).toBe('2');
    expect(button(el, 'Cancel').getAttribute('aria-label')).toBe('Cancel going live');
    button(el, 'Cancel').click();
    await el.updateComplete;
    expect(countdown()).toBeUndefined();
    expect(label()).toBe('Camera preview');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(el.dataset.status).toBe('previewing');
    expect((await client.streams.get(stream.id)).status).toBe('scheduled');
    button(el, 'Go live').focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    expect(countdown()).toBeUndefined();
    // Go live, disabled while connecting and gone on air, hands focus to End stream.
    await expect.poll(() => el.shadowRoot?.activeElement).toBe(button(el, 'End stream'));
    expect(liveLabel).toBe('On air · 00:00');
    // The clock ticks in a timer in the status line, out of the live region: the region says
    // "On air" once, not each second.
    const timer = el.shadowRoot?.querySelector('.status [role="timer"]');
    expect(timer?.textContent).toMatch(/^\d\d:\d\d$/);
    const region = el.shadowRoot?.querySelector('[role="status"]');
    expect(region?.textContent).toBe('On air');
    expect(region?.contains(timer ?? null)).toBe(false);
    expect((await client.streams.get(stream.id)).status).toBe('live');
    // The server's view of the ingest (every 5 s): its level, then what lowers it first, in words.
    const chip = () => el.shadowRoot?.querySelector<HTMLElement>('.health');
    await expect
      .poll(() => chip()?.textContent?.trim(), { timeout: 20_000 })
      .toMatch(/^Health: (good|fair|poor)/);
    const [, , , reason] = (chip()?.title ?? '').split(' · ');
    expect(chip()?.textContent?.trim()).toBe(
      `Health: ${chip()?.dataset.level}${reason ? ` · ${reason}` : ''}`,
    );

    button(el, 'End stream').click();
    await expect.poll(() => el.dataset.status).toBe('ended');
    expect((await client.streams.get(stream.id)).status).toBe('ended');
    expect(statuses).toEqual(['idle', 'previewing', 'connecting', 'live', 'ended']);
    // End stream had focus and is gone with nothing in its place: focus is owed no more, so the
    // next stream's Go live does not take it from the page later.
    el.streamId = (await createStream(client, false)).id;
    await el.preview();
    await expect
      .poll(() => el.shadowRoot?.querySelector('[part="go-live"]:enabled'))
      .not.toBeNull();
    expect(el.shadowRoot?.activeElement ?? null).toBeNull();
  });

  it('asks in its own dialog before ending: Keep streaming or Escape keeps it live, End stream ends it', async () => {
    const nativeConfirm = vi.spyOn(window, 'confirm');
    const { client, stream, el } = await studio('Confirmer', true);
    const root = el.shadowRoot as ShadowRoot;
    const dialog = root.querySelector('dialog') as HTMLDialogElement;
    const inDialog = (name: string) =>
      [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
    button(el, 'Go live').click();
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    expect(dialog.open).toBe(false);

    await userEvent.click(button(el, 'End stream'));
    await expect.poll(() => dialog.open).toBe(true);
    expect(dialog.matches(':modal')).toBe(true);
    // Labelled and described, with the safe choice focused.
    const labelled = (attr: string) => root.getElementById(dialog.getAttribute(attr) ?? '');
    expect(labelled('aria-labelledby')?.textContent).toBe('End the stream for everyone?');
    expect(labelled('aria-describedby')?.textContent).toMatch(/cannot go live again/);
    expect(root.activeElement).toBe(inDialog('Keep streaming'));
    await userEvent.click(inDialog('Keep streaming') as HTMLButtonElement);
    await expect.poll(() => dialog.open).toBe(false);

    await userEvent.click(button(el, 'End stream'));
    await expect.poll(() => dialog.open).toBe(true);
    await userEvent.keyboard('{Escape}');
    await expect.poll(() => dialog.open).toBe(false);
    expect(el.dataset.status).toBe('live');
    expect((await client.streams.get(stream.id)).status).toBe('live');

    await userEvent.click(button(el, 'End stream'));
    await expect.poll(() => dialog.open).toBe(true);
    await userEvent.click(inDialog('End stream') as HTMLButtonElement);
    await expect.poll(() => el.dataset.status).toBe('ended');
    expect(dialog.open).toBe(false);
    expect((await client.streams.get(stream.id)).status).toBe('ended');
    expect(nativeConfirm).not.toHaveBeenCalled();
    nativeConfirm.mockRestore();
  });

  it("translates the dialog with the element's language", async () => {
    const { el } = await studio('Idioma', true);
    el.lang = 'es';
    el.requestUpdate();
    await el.updateComplete;
    const dialog = el.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
    expect([...dialog.querySelectorAll('h2, button')].map((n) => n.textContent?.trim())).toEqual([
      '¿Terminar la emisión para todos?',
      'Seguir emitiendo',
      'Terminar emisión',
    ]);
  });

  it('shows a typed error when someone else tries to go live', async () => {
    const owner = await signedInClient('Owner');
    const intruder = await signedInClient('Intruder');
    const stream = await createStream(owner, true);
    const container = mount('<onair-broadcaster></onair-broadcaster>');
    const el = container.querySelector('onair-broadcaster') as OnAirBroadcasterElement;
    el.client = intruder;
    el.streamId = stream.id;
    await el.updateComplete;
    button(el, 'Go live').click();
    await expect
      .poll(() => el.shadowRoot?.querySelector('[role="alert"]')?.getAttribute('data-code'), {
        timeout: 10_000,
      })
      .toBe('FORBIDDEN');
    expect(el.dataset.status).toBe('failed');
  });

  it('drops a countdown when its stream changes, and goLive() from code goes live at once', async () => {
    const { client, stream, el } = await studio('Counter');
    const other = await createStream(client, false);
    const countdown = () => el.shadowRoot?.querySelector('[part="countdown"]')?.textContent;
    const label = () => el.shadowRoot?.querySelector('.status')?.textContent?.trim();
    el.countdown = 60;
    await el.updateComplete;
    button(el, 'Go live').click();
    await el.updateComplete;
    expect(countdown()).toBe('60');
    // Another stream chosen meanwhile: the countdown was for the first one.
    el.streamId = other.id;
    await el.updateComplete;
    expect(countdown()).toBeUndefined();
    expect(label()).toBe('This stream is not live');
    button(el, 'Go live').click();
    await el.updateComplete;
    expect(countdown()).toBe('60');
    const live = el.goLive();
    await el.updateComplete;
    expect(countdown()).toBeUndefined();
    expect(label()).toBe('Connecting…');
    await live;
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    expect((await client.streams.get(other.id)).status).toBe('live');
    expect((await client.streams.get(stream.id)).status).toBe('scheduled');
    // A health store of the host's (one its dashboard shares) is shown instead of the element's.
    const health = {
      streamId: other.id,
      at: new Date().toISOString(),
      ingest: 'webrtc' as const,
      bitrateKbps: 600,
      frameRate: 12,
      width: 1280,
      height: 720,
      keyframeIntervalSeconds: 2,
      packetLoss: 0.04,
      jitterMs: 8,
      score: 31,
      issues: ['Frame rate is 12 fps'],
    };
    el.healthStore = {
      subscribe: () => () => {},
      getSnapshot: () => ({ health, publisher: null, error: null }),
    };
    await el.updateComplete;
    const chip = el.shadowRoot?.querySelector<HTMLElement>('[part="health"]');
    expect(chip?.dataset.level).toBe('poor');
    expect(chip?.textContent?.trim()).toBe('Health: poor · Frame rate is 12 fps');
  });

  it('ends the publishing session at once when the key is rotated or the stream is ended elsewhere', async () => {
    const client = await signedInClient('Rotator');
    for (const [action, status, code] of [
      ['rotate', 'failed', 'UNAUTHORIZED'],
      ['end', 'ended', null],
    ] as const) {
      const stream = await createStream(client, false);
      const el = mount('<onair-broadcaster no-confirm></onair-broadcaster>').querySelector(
        'onair-broadcaster',
      ) as OnAirBroadcasterElement;
      el.client = client;
      el.streamId = stream.id;
      await el.updateComplete;
      button(el, 'Go live').click();
      await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
      if (action === 'rotate') await client.streams.rotateKey(stream.id);
      else await client.streams.end(stream.id);
      await expect.poll(() => el.dataset.status, { timeout: 5_000 }).toBe(status);
      const alert = el.shadowRoot?.querySelector('[role="alert"]');
      expect(alert?.getAttribute('data-code') ?? null).toBe(code);
      el.remove();
    }
  });

  it('reconnects after the connection drops and keeps the stream live', async () => {
    const { client, stream, el } = await studio('Dropper');
    const statuses: string[] = [];
    const reasons: string[] = [];
    el.addEventListener('onair-broadcaster-status', (e) => {
      statuses.push(e.detail.status);
      if (e.detail.status === 'reconnecting') reasons.push(e.detail.error?.message ?? '');
    });
    button(el, 'Go live').click();
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    const sent = () => el.publisher?.getSnapshot().stats?.videoBitrate ?? 0;
    await expect.poll(sent, { timeout: 10_000 }).toBeGreaterThan(0);

    // The network drops under the realtime connection (its WebSocket closes, as when
    // Wi-Fi goes): the server closes the publisher's transports and starts the grace period.
    const socket = (client.realtime as unknown as { socket: { io: { engine: { close(): void } } } })
      .socket;
    socket.io.engine.close();
    await expect.poll(() => statuses, { timeout: 10_000 }).toContain('reconnecting');
    // Noticed from the signalling connection coming back (socket.io recovered it), not
    // seconds later when the media path times out.
    expect(reasons).toEqual(['The realtime connection was lost']);
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    expect(el.publisher?.getSnapshot().reconnectAttempt).toBe(0);
    // Media flows again on the new session, and the stream never ended.
    await expect.poll(sent, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await client.streams.get(stream.id)).status).toBe('live');
    expect(statuses.slice(-2)).toEqual(['reconnecting', 'live']);
    // The server's own view of the ingest (a health report every 5 s) reaches the report too.
    const broadcast = async () => (await streamAnalytics(client, stream.id)).broadcast;
    await expect
      .poll(async () => (await broadcast()).ingest.reports, { timeout: 15_000 })
      .toBeGreaterThan(0);
    button(el, 'End stream').click();
    await expect.poll(() => el.dataset.status).toBe('ended');

    // The element reported its Publisher with no host-app code: one publish session,
    // across the reconnection, that counted it.
    await expect.poll(broadcast, { timeout: 10_000 }).toMatchObject({ sessions: 1, reconnects: 1 });
    const { sampledMs, bitrateKbps, frameRate, height, ingest } = await broadcast();
    expect(sampledMs).toBeGreaterThan(1000);
    expect(frameRate).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    // What the browser said it sent, against what the server measured arriving.
    expect(bitrateKbps).toBeGreaterThan(0);
    const ratio = (bitrateKbps ?? 0) / (ingest.bitrateKbps ?? 1);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('switches camera and microphone while live, mutes, shares the screen with the camera in a corner, by labelled controls', async () => {
    const { el } = await studio('Studio');
    const root = el.shadowRoot as ShadowRoot;
    const videoTrack = () =>
      (
        (root.querySelector('video') as HTMLVideoElement).srcObject as MediaStream | null
      )?.getVideoTracks()[0];

    // Before going live, the devices show; on air, they fold behind the Devices button.
    await el.preview();
    expect(picker(root, 'Camera').open).toBeTruthy();
    // The microphone's meter stops while folded away (its audio graph closed).
    const closed = vi.spyOn(AudioContext.prototype, 'close');
    // Focus in a picker when the devices fold goes to the Devices button, not to the page.
    picker(root, 'Camera').open.focus();
    button(el, 'Go live').click();
    await expect.poll(() => el.dataset.status, { timeout: 20_000 }).toBe('live');
    expect(root.querySelector('[part="devices"]')).toBeNull();
    const devices = button(el, 'Devices');
    expect(devices.getAttribute('aria-expanded')).toBe('false');
    expect(root.activeElement).toBe(devices);
    expect(closed).toHaveBeenCalledOnce();
    closed.mockRestore();
    // The control bar: icon buttons with labels, each its label on hover too.
    const tools = ['Mute microphone', 'Turn camera off', 'Share screen', 'Devices', 'End stream'];
    for (const name of tools) {
      const tool = button(el, name);
      expect(tool.title).toBe(name);
      expect(tool.querySelector('svg')).not.toBeNull();
    }
    // A narrow studio: their icons only, each still named by its label.
    el.style.width = '400px';
    const label = devices.querySelector('.label') as HTMLElement;
    expect(label.getBoundingClientRect().width).toBeLessThanOrEqual(1);
    expect(devices.textContent?.trim()).toBe('Devices');
    el.style.width = '640px';
    expect(label.getBoundingClientRect().width).toBeGreaterThan(10);
    el.style.width = '';
    devices.click();
    await el.updateComplete;
    expect(devices.getAttribute('aria-expanded')).toBe('true');
    expect(devices.getAttribute('aria-controls')).toBe(root.querySelector('[part="devices"]')?.id);
    // Permission granted: both fake cameras and their labels are listed.
    await expect
      .poll(() => picker(root, 'Camera').names)
      .toEqual(['fake_device_0', 'fake_device_1', 'fake_device_2']);
    expect(videoTrack()?.label).toBe('fake_device_0');
    // Each picker's button names the choice in use.
    expect(picker(root, 'Camera').open.ariaLabel).toBe('Camera: fake_device_0');
    expect(picker(root, 'Camera').open.textContent?.trim()).toBe('fake_device_0');
    expect(picker(root, 'Microphone').choices.length).toBeGreaterThanOrEqual(2);
    expect(picker(root, 'Quality').open.ariaLabel).toBe('Quality: 720p');

    // The other camera, live: the track is replaced, the session stays.
    // (Chromium's second fake camera sends Y16 frames no encoder takes; the third is MJPEG.)
    await choose(root, 'Camera', 'fake_device_2');
    await expect.poll(() => videoTrack()?.label, { timeout: 10_000 }).toBe('fake_device_2');
    expect(el.dataset.status).toBe('live');
    // Focus went back to the picker, and stayed through the switch.
    await el.updateComplete;
    expect(root.activeElement).toBe(picker(root, 'Camera').open);
    const microphones = picker(root, 'Microphone');
    const otherMic =
      microphones.names[microphones.choices.findIndex((c) => c.ariaCurrent !== 'true')];
    await choose(root, 'Microphone', otherMic ?? '');
    await expect
      .poll(() => picker(root, 'Microphone').open.ariaLabel, { timeout: 10_000 })
      .toBe(`Microphone: ${otherMic}`);
    const preview = root.querySelector('video') as HTMLVideoElement;
    expect((preview.srcObject as MediaStream).getAudioTracks()[0]?.label).toBe(otherMic);

    // Toggles say what a press does next (so no aria-pressed, which would contradict it).
    button(el, 'Mute microphone').click();
    await el.updateComplete;
    expect(button(el, 'Unmute microphone').hasAttribute('aria-pressed')).toBe(false);
    button(el, 'Turn camera off').click();
    await el.updateComplete;
    expect(videoTrack()?.enabled).toBe(false);
    button(el, 'Turn camera on').click();
    await el.updateComplete;
    expect(videoTrack()?.enabled).toBe(true);

    // The screen, with the camera drawn in a corner: one composited track.
    // Sharing needs a real user gesture: a trusted click through the browser.
    const corner = () =>
      [...root.querySelectorAll('label')]
        .find((l) => l.textContent?.trim() === 'Camera in the corner')
        ?.querySelector('input');
    expect(corner()).toBeUndefined();
    await userEvent.click(button(el, 'Share screen'));
    const sharing = () =>
      [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Stop sharing');
    await expect
      .poll(() => (sharing() ? 'sharing' : root.querySelector('[role="alert"]')?.textContent), {
        timeout: 10_000,
      })
      .toBe('sharing');
    expect(videoTrack()?.label).not.toMatch(/fake_device|screen/);
    expect(videoTrack()?.readyState).toBe('live');
    // Only while sharing: the camera's corner, off and on again, live.
    const composited = videoTrack();
    expect(corner()?.checked).toBe(true);
    corner()?.click();
    await expect.poll(() => videoTrack() !== composited, { timeout: 10_000 }).toBe(true);
    expect(videoTrack()?.label).toMatch(/screen/);
    expect(composited?.readyState).toBe('ended');
    expect(corner()?.checked).toBe(false);
    corner()?.click();
    await expect.poll(() => videoTrack()?.label, { timeout: 10_000 }).not.toMatch(/screen/);
    expect(videoTrack()?.readyState).toBe('live');
    expect(corner()?.checked).toBe(true);
    expect(el.dataset.status).toBe('live');
    button(el, 'Stop sharing').click();
    await expect.poll(() => videoTrack()?.label, { timeout: 10_000 }).toBe('fake_device_2');

    // A lower quality, live.
    await choose(root, 'Quality', '360p');
    await expect.poll(() => videoTrack()?.getSettings().height, { timeout: 10_000 }).toBe(360);
    expect(el.dataset.status).toBe('live');
    expect(root.querySelector('[role="alert"]')).toBeNull();
    // End waits while the quality change is still being applied (its button is disabled).
    await expect.poll(() => button(el, 'End stream').disabled).toBe(false);
    button(el, 'End stream').click();
    await expect.poll(() => el.dataset.status, { timeout: 10_000 }).toBe('ended');
  });

  it('keeps a width where its width comes from its content (a shrink-to-fit box)', async () => {
    // A size container gets no width from its content: the host must not be one.
    const el = mount(
      '<div style="display: inline-block"><onair-broadcaster></onair-broadcaster></div>',
    ).querySelector('onair-broadcaster') as OnAirBroadcasterElement;
    await el.updateComplete;
    expect(el.getBoundingClientRect().width).toBeGreaterThan(200);
  });

  it("captures up to the stream's quality preset, from the quality menu", async () => {
    const { el } = await studio('Cinema', true, '1080p');
    await el.preview();
    const root = el.shadowRoot as ShadowRoot;
    // Its preset is the top of the menu: no 4K for a 1080p stream.
    await expect
      .poll(() => picker(root, 'Quality').names)
      .toEqual(['360p', '480p', '720p', '1080p']);
    const settings = () =>
      ((root.querySelector('video') as HTMLVideoElement).srcObject as MediaStream | null)
        ?.getVideoTracks()[0]
        ?.getSettings();
    for (const [name, width, height] of [
      ['1080p', 1920, 1080],
      ['480p', 854, 480],
    ] as const) {
      await choose(root, 'Quality', name);
      await expect
        .poll(() => [settings()?.width, settings()?.height], { timeout: 10_000 })
        .toEqual([width, height]);
      expect(el.publisher?.getSnapshot().quality).toBe(name);
    }
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });
});
