import { PLAYER_IDLE_STATE, type PlayerControls, type PlayerState, Publisher } from '@onair/core';
import { streamAnalytics } from '@onair/core/analytics';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { choose, createStream, heldFetch, mount, picker, signedInClient } from '../test-support.js';
import './onair-player.js';
import '../reactions/onair-reactions.js';
import '../translations/es.js';
import { translateMain } from '../internal/i18n.js';
import type { OnAirPlayerElement } from './player.component.js';

afterEach(async () => {
  if (document.fullscreenElement) await document.exitFullscreen();
  document.body.innerHTML = '';
});

/** A stand-in engine: the state a playing HLS stream with a DVR window has, and a log of calls. */
class EngineStub implements PlayerControls {
  calls: string[] = [];
  private listeners = new Set<(s: PlayerState) => void>();
  state: PlayerState = {
    ...PLAYER_IDLE_STATE,
    status: 'playing',
    latency: 1.2,
    seekable: { start: 100, end: 160 },
    position: 158.8,
    atLiveEdge: true,
    volume: 0.5,
    mode: 'hls',
    levels: [
      { index: 0, height: 240, bitrate: 400_000 },
      { index: 1, height: 720, bitrate: 2_800_000 },
    ],
    level: 1,
  };
  subscribe = (listener: (s: PlayerState) => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.state;
  private set(patch: Partial<PlayerState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
  async play() {
    this.calls.push('play');
    this.set({ status: 'playing' });
  }
  pause() {
    this.calls.push('pause');
    this.set({ status: 'paused' });
  }
  mute() {
    this.calls.push('mute');
    this.set({ muted: true });
  }
  unmute() {
    this.calls.push('unmute');
    this.set({ muted: false });
  }
  setVolume(volume: number) {
    this.calls.push(`volume ${volume}`);
    this.set({ volume });
  }
  async setLevel(index: number) {
    this.calls.push(`level ${index}`);
    this.set({ autoLevel: index < 0, level: index < 0 ? this.state.level : index });
  }
  seek(position: number) {
    this.calls.push(`seek ${position}`);
    const latency = 160 - position;
    this.set({ position, latency, atLiveEdge: latency < 3 });
  }
  goToLive() {
    this.calls.push('live');
    this.set({ position: 158.8, latency: 1.2, atLiveEdge: true });
  }
}

/** A player driven by a stand-in engine, once it shows the engine's state. */
async function withEngine(engine = new EngineStub()) {
  const player = mount('<onair-player></onair-player>').querySelector(
    'onair-player',
  ) as OnAirPlayerElement;
  player.engine = engine;
  await expect.poll(() => player.dataset.status).toBe(engine.state.status);
  return { player, engine };
}

describe('<onair-player>', () => {
  it('says a stream that has not started is not started yet, and one that does not exist failed', async () => {
    const client = await signedInClient('Viewer');
    const stream = await createStream(client, false);
    const container = mount('<onair-player></onair-player>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    player.client = client;
    player.streamId = stream.id;
    await expect.poll(() => player.dataset.phase).toBe('scheduled');
    const overlay = () => player.shadowRoot?.querySelector('[part="overlay"]');
    expect(overlay()?.getAttribute('role')).toBe('status');
    expect(overlay()?.textContent?.trim()).toBe('This stream has not started yet');
    expect(player.dataset.status).toBe('idle');

    const statuses: string[] = [];
    player.addEventListener('onair-player-status', (e) => statuses.push(e.detail.status));
    player.streamId = 'st_doesnotexist0001';
    await expect.poll(() => player.dataset.status).toBe('error');
    expect(statuses).toContain('error');
    expect(overlay()?.getAttribute('role')).toBe('alert');
    expect(overlay()?.textContent?.trim()).toBe('Playback failed');
  });

  it('plays the newer stream when stream-id changes while the older one is still being looked up', async () => {
    const owner = await signedInClient('Race host');
    const older = await createStream(owner, true);
    const newer = await createStream(owner, true);
    const lookups = heldFetch(`/v1/streams/${older.id}`);
    const viewer = await signedInClient('Race viewer', lookups.fetch);
    const player = mount('<onair-player muted></onair-player>').querySelector(
      'onair-player',
    ) as OnAirPlayerElement;
    player.client = viewer;
    player.streamId = older.id;
    await lookups.requested;
    player.streamId = newer.id;
    await expect.poll(() => player.player).toBeDefined();
    const playing = player.player;
    expect(player.dataset.status).toBe('loading');
    const playlists = (streamId: string) =>
      performance.getEntriesByType('resource').filter((e) => e.name.includes(`/hls/${streamId}/`));
    await expect.poll(() => playlists(newer.id).length).toBeGreaterThan(0);

    // The older lookup answers last: it must not replace the newer stream's Player.
    await lookups.release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(player.player).toBe(playing);
    expect(player.dataset.status).toBe('loading');
    expect(playlists(older.id)).toEqual([]);
    player.remove();
  });

  it('starts no Player when it is removed while the stream is being looked up', async () => {
    const owner = await signedInClient('Removed host');
    const stream = await createStream(owner, true);
    const lookups = heldFetch(`/v1/streams/${stream.id}`);
    const viewer = await signedInClient('Removed viewer', lookups.fetch);
    const player = mount('<onair-player muted></onair-player>').querySelector(
      'onair-player',
    ) as OnAirPlayerElement;
    player.client = viewer;
    player.streamId = stream.id;
    await lookups.requested;
    player.remove();

    await lookups.release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(player.player).toBeUndefined();
    const video = player.shadowRoot?.querySelector('video') as HTMLVideoElement;
    expect(video.getAttribute('src')).toBe(null);
  });

  it('is a labelled, focusable region with labelled controls, in the page language', async () => {
    const container = mount('<div lang="es"><onair-player></onair-player></div>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    await player.updateComplete;
    const region = player.shadowRoot?.querySelector('[role="region"]') as HTMLElement;
    expect(region.getAttribute('aria-label')).toBe('Reproductor de vídeo en vivo');
    expect(region.tabIndex).toBe(0);
    const labels = [...(player.shadowRoot?.querySelectorAll('button') ?? [])].map((b) =>
      b.getAttribute('aria-label'),
    );
    expect(labels).toEqual(['Reproducir', 'Silenciar', 'Imagen en imagen', 'Pantalla completa']);
    expect(player.dataset.status).toBe('idle');
  });

  it('goes to loading when given an HLS URL and keeps retrying while nothing is there', async () => {
    const container = mount('<onair-player muted></onair-player>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    player.src = `${location.origin}/does-not-exist/master.m3u8`;
    await expect.poll(() => player.dataset.status).toBe('loading');
    expect(player.shadowRoot?.querySelector('[part="overlay"]')?.textContent?.trim()).toBe(
      'Loading…',
    );
    player.remove();
  });

  it('is driven from the keyboard: play, mute, seek in the DVR window, volume, live, full screen', async () => {
    const { player, engine } = await withEngine();
    const root = player.shadowRoot as ShadowRoot;
    const seek = root.querySelector('input[aria-label="Seek"]') as HTMLInputElement;
    const volume = root.querySelector('input[aria-label="Volume"]') as HTMLInputElement;
    expect(seek.getAttribute('aria-valuetext')).toBe('At the live edge');
    expect([seek.min, seek.max]).toEqual(['100', '160']);
    expect(volume.value).toBe('0.5');

    (root.querySelector('[role="region"]') as HTMLElement).focus();
    await userEvent.keyboard('k');
    await userEvent.keyboard('m');
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    await userEvent.keyboard('{ArrowUp}');
    expect(engine.calls).toEqual(['pause', 'mute', 'seek 153.8', 'seek 148.8', 'volume 0.6']);
    await player.updateComplete;
    expect(seek.getAttribute('aria-valuetext')).toBe('11 s behind live');
    // Behind the live edge, the LIVE pill is grey and is the way back to live.
    const pill = root.querySelector('button.badge') as HTMLButtonElement;
    expect(pill.hasAttribute('data-behind')).toBe(true);
    expect(pill.getAttribute('aria-label')).toBe('Go to live');
    expect(pill.textContent?.trim()).toBe('LIVE');
    // Label in name (WCAG 2.5.3): "click live" by voice finds it, in every language built in.
    for (const lang of ['en', 'es']) {
      const where = Object.assign(document.createElement('div'), { lang });
      const name = translateMain(where, 'goToLive').toLowerCase();
      expect(name).toContain(translateMain(where, 'live').toLowerCase());
    }

    await userEvent.keyboard('l');
    await player.updateComplete;
    expect(engine.calls.at(-1)).toBe('live');
    expect(seek.getAttribute('aria-valuetext')).toBe('At the live edge');
    expect(pill.hasAttribute('data-behind')).toBe(false);
    // Back in the window again, then a click on the pill.
    await userEvent.keyboard('{ArrowLeft}');
    expect(engine.calls.at(-1)).toMatch(/^seek /);
    await userEvent.click(pill);
    expect(engine.calls.at(-1)).toBe('live');

    // A real user gesture: F enters full screen, F again leaves it.
    await userEvent.keyboard('f');
    await expect.poll(() => document.fullscreenElement).toBe(player);
    await userEvent.keyboard('f');
    await expect.poll(() => document.fullscreenElement).toBe(null);
  });

  it('moves in the DVR window from the seek bar and picks a quality from the menu', async () => {
    const { player, engine } = await withEngine();
    const root = player.shadowRoot as ShadowRoot;
    const seek = root.querySelector('input[aria-label="Seek"]') as HTMLInputElement;
    seek.focus();
    // Arrow keys on the slider are the slider's own (the player does not seek twice).
    await userEvent.keyboard('{ArrowLeft}');
    await expect.poll(() => engine.calls).toEqual(['seek 158']);
    // The menu's button names what plays; its list, Auto then the highest first.
    expect(picker(root, 'Quality').open.ariaLabel).toBe('Quality: Auto (720p)');
    expect(picker(root, 'Quality').names).toEqual(['Auto (720p)', '720p', '240p']);
    // Keys in its list are the list's, not the player's shortcuts.
    picker(root, 'Quality').open.click();
    await expect.poll(() => root.activeElement?.textContent?.trim()).toBe('Auto (720p)');
    await userEvent.keyboard('k');
    expect(engine.calls).toEqual(['seek 158']);
    picker(root, 'Quality').list.hidePopover();
    // Space on a focused button presses it (the menu opens), it does not pause.
    picker(root, 'Quality').open.focus();
    await userEvent.keyboard(' ');
    await expect.poll(() => picker(root, 'Quality').list.matches(':popover-open')).toBe(true);
    expect(engine.calls).toEqual(['seek 158']);
    picker(root, 'Quality').list.hidePopover();
    await choose(root, 'Quality', '240p');
    expect(engine.calls.at(-1)).toBe('level 0');

    // It follows its button: the page scrolling moves it along, a box scrolling beside it (a chat
    // following its newest message) leaves it be; its button out of view closes it.
    const { open, list } = picker(root, 'Quality');
    document.body.style.height = '3000px';
    const box = document.createElement('div');
    box.style.cssText = 'height: 40px; overflow: auto';
    box.innerHTML = '<div style="height: 400px"></div>';
    document.body.append(box);
    try {
      open.click();
      await expect.poll(() => root.activeElement?.getAttribute('aria-current')).toBe('true');
      box.scrollTop = 100;
      await new Promise((resolve) => box.addEventListener('scroll', resolve, { once: true }));
      const before = list.getBoundingClientRect().top;
      await new Promise(requestAnimationFrame);
      expect(list.matches(':popover-open')).toBe(true);
      expect(list.getBoundingClientRect().top).toBe(before);
      scrollTo(0, 10);
      await expect.poll(() => list.getBoundingClientRect().top).toBeCloseTo(before - 10, 0);
      expect(list.matches(':popover-open')).toBe(true);
      scrollTo(0, 2000);
      await expect.poll(() => list.matches(':popover-open')).toBe(false);
    } finally {
      scrollTo(0, 0);
      document.body.style.height = '';
    }
  });

  it('keeps its seek bar left to right in a right-to-left page, where its menus mirror', async () => {
    const { player } = await withEngine();
    player.dir = 'rtl';
    const root = player.shadowRoot as ShadowRoot;
    const seek = root.querySelector('input[aria-label="Seek"]') as HTMLInputElement;
    // The arrow keys move back and forward in time the way the bar shows it.
    expect(getComputedStyle(seek).direction).toBe('ltr');
    expect(getComputedStyle(picker(root, 'Quality').open).direction).toBe('rtl');
    player.dir = '';
  });

  it('lays reactions put in its overlay slot out of the control bar', async () => {
    const container = mount(
      '<onair-player style="width:320px"><onair-reactions slot="overlay"></onair-reactions></onair-player>',
    );
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    player.engine = new EngineStub();
    const reactions = container.querySelector('onair-reactions') as HTMLElement & {
      updateComplete: Promise<unknown>;
    };
    await player.updateComplete;
    await reactions.updateComplete;
    const controls = player.shadowRoot?.querySelector('[part="controls"]') as HTMLElement;
    const picker = reactions.shadowRoot?.querySelector('[part="picker"]') as HTMLElement;
    const bar = controls.getBoundingClientRect();
    const buttons = picker.getBoundingClientRect();
    expect(bar.height).toBeGreaterThan(0);
    expect(buttons.height).toBeGreaterThan(0);
    expect(buttons.bottom).toBeLessThanOrEqual(bar.top);
    // The picker's buttons take clicks; the rest of the overlay lets them through to the video.
    const hit = document.elementFromPoint(buttons.left + 5, buttons.top + 5);
    expect(hit).toBe(reactions);
    const middle = document.elementFromPoint(bar.left + bar.width / 2, bar.top - 40);
    expect(middle).toBe(player);
  });

  it('shows no seek bar without a DVR window (real time)', async () => {
    const engine = new EngineStub();
    engine.state = { ...engine.state, mode: 'realtime', seekable: null, latency: null };
    const { player } = await withEngine(engine);
    expect(player.dataset.status).toBe('playing');
    expect(player.shadowRoot?.querySelector('input[aria-label="Seek"]')).toBe(null);
    expect(player.shadowRoot?.querySelector('input[aria-label="Volume"]')).not.toBe(null);
  });

  it('keeps playing in real time when the viewer connection drops and comes back', async () => {
    const host = await signedInClient('Realtime host');
    const stream = await createStream(host, true);
    const publisher = new Publisher(host, { streamId: stream.id, quality: '360p' });
    await publisher.publish();
    const viewer = await signedInClient('Realtime viewer');
    const container = mount('<onair-player realtime muted></onair-player>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    player.client = viewer;
    player.streamId = stream.id;
    const video = () => player.shadowRoot?.querySelector('video') as HTMLVideoElement;
    const frames = () => video().getVideoPlaybackQuality().totalVideoFrames;
    await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(10);
    expect(player.player?.getSnapshot().mode).toBe('realtime');

    // The viewer's WebSocket closes under it; socket.io reconnects (and recovers the
    // session), the server has closed the old transport: a new one is opened.
    const track = () => (video().srcObject as MediaStream | null)?.getVideoTracks()[0]?.id;
    const first = track();
    (
      viewer.realtime as unknown as { socket: { io: { engine: { close(): void } } } }
    ).socket.io.engine.close();
    await expect // a new consumer's track
      .poll(() => track() !== undefined && track() !== first, { timeout: 10_000 })
      .toBe(true);
    const before = frames();
    await expect.poll(frames, { timeout: 15_000 }).toBeGreaterThan(before + 30);
    expect(player.player?.getSnapshot().mode).toBe('realtime'); // no fallback to HLS
    expect(player.player?.getSnapshot().status).toBe('playing');
    // The element reported the playback with no host-app code: one real-time view session,
    // across the reconnection, that reached its first frame.
    await expect
      .poll(async () => (await streamAnalytics(host, stream.id)).qoe, { timeout: 15_000 })
      .toMatchObject({ views: 1, startedViews: 1, byEngine: { realtime: 1 } });
    player.remove();
    publisher.destroy();
    await host.streams.end(stream.id);
  });
});
