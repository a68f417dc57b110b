import { PLAYER_IDLE_STATE, type PlayerControls, type PlayerState } from '@onair/core';
import { afterEach, describe, expect, it } from 'vitest';
import { mount } from '../test-support.js';
import './onair-player.js';
import '../translations/es.js';
import type { PlayerSkippedToLiveDetail } from '../internal/events.js';
import type { OnAirPlayerElement } from './player.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A stand-in engine playing live HLS at the edge, whose state the test moves on. */
class LiveEngine implements PlayerControls {
  private listeners = new Set<(s: PlayerState) => void>();
  state: PlayerState = {
    ...PLAYER_IDLE_STATE,
    status: 'playing',
    latency: 1.2,
    mode: 'hls',
    live: true,
  };
  subscribe = (listener: (s: PlayerState) => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.state;
  set(patch: Partial<PlayerState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
  async play() {}
  pause() {}
  mute() {}
  unmute() {}
  setVolume() {}
  async setLevel() {}
  seek() {}
  goToLive() {}
}

async function playerWith(engine: LiveEngine, html = '<onair-player></onair-player>') {
  const player = mount(html).querySelector('onair-player') as OnAirPlayerElement;
  player.engine = engine;
  await expect.poll(() => player.dataset.status).toBe('playing');
  const skips: PlayerSkippedToLiveDetail[] = [];
  // Bubbling and composed: heard on the document.
  const listener = (e: CustomEvent<PlayerSkippedToLiveDetail>) => skips.push(e.detail);
  document.addEventListener('onair-player-skipped-to-live', listener);
  const notice = () => player.shadowRoot?.querySelector('[part="notice"]');
  return {
    player,
    skips,
    notice,
    text: () => notice()?.textContent?.trim() ?? '',
    stop: () => document.removeEventListener('onair-player-skipped-to-live', listener),
  };
}

describe('<onair-player> skipping ahead to live', () => {
  it('shows "Skipped ahead to live" politely for a few seconds and emits the seconds skipped, once per skip', async () => {
    const engine = new LiveEngine();
    const { skips, notice, text, stop } = await playerWith(engine);
    // The live region is there before anything is said in it.
    expect(notice()?.getAttribute('role')).toBe('status');
    expect(notice()?.getAttribute('aria-live')).toBe('polite');
    expect(text()).toBe('');

    engine.set({ skippedToLive: { at: Date.now(), seconds: 8.4 }, latency: 1.5 });
    await expect.poll(text).toBe('Skipped ahead to live');
    expect(skips).toEqual([{ seconds: 8.4 }]);

    // Other changes do not repeat the event; the notice goes after a few seconds.
    engine.set({ latency: 1.3 });
    await expect.poll(text, { timeout: 8000 }).toBe('');
    expect(skips).toHaveLength(1);

    // The next skip, even of the same length, is news again.
    engine.set({ skippedToLive: { at: Date.now() + 1, seconds: 8.4 } });
    await expect.poll(text).toBe('Skipped ahead to live');
    expect(skips).toEqual([{ seconds: 8.4 }, { seconds: 8.4 }]);
    stop();
  }, 20_000);

  it('says it in the page language', async () => {
    const engine = new LiveEngine();
    const { text, stop } = await playerWith(
      engine,
      '<div lang="es"><onair-player></onair-player></div>',
    );
    engine.set({ skippedToLive: { at: Date.now(), seconds: 10 } });
    await expect.poll(text).toBe('Saltamos al directo');
    stop();
  });
});
