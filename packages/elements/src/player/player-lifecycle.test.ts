import { Publisher } from '@onair/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mount, signedInClient } from '../test-support.js';
import './onair-player.js';
import '../chat/onair-chat.js';
import '../qna/onair-qna.js';
import '../viewer-count/onair-viewer-count.js';
import type { OnAirPlayerElement } from './player.component.js';

/*
 * A stream's whole life in <onair-player stream-id>, against the real
 * server: scheduled, live (a real publisher with Chromium's fake camera and
 * the real HLS ladder), ended, replayed.
 */

beforeAll(() => {
  // Room for every request of these long tests (the default buffer keeps 250).
  performance.setResourceTimingBufferSize(100_000);
  performance.clearResourceTimings();
});
afterEach(() => {
  document.body.innerHTML = '';
});

const overlayText = (player: OnAirPlayerElement) =>
  player.shadowRoot?.querySelector('[part="overlay"]')?.textContent?.replace(/\s+/g, ' ').trim();

/** Live playlist requests (blocking reloads carry `_HLS_msn`) made so far for a stream. */
const livePlaylistRequests = (streamId: string) =>
  performance
    .getEntriesByType('resource')
    .filter((e) => e.name.includes(`/hls/${streamId}/`) && e.name.includes('_HLS_msn')).length;

describe('<onair-player stream-id> through a stream’s life', () => {
  it('shows a scheduled stream’s poster and start time, then plays it once it goes live', async () => {
    const host = await signedInClient('Scheduled host');
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const poster = `${location.origin}/poster-for-test.jpg`;
    const { stream } = await host.streams.create({
      title: 'Office hours',
      scheduledAt: startsAt,
      thumbnailUrl: poster,
    });
    const viewer = await signedInClient('Scheduled viewer');
    const player = mount('<onair-player muted></onair-player>').querySelector(
      'onair-player',
    ) as OnAirPlayerElement;
    player.client = viewer;
    player.streamId = stream.id;
    await expect.poll(() => player.dataset.phase).toBe('scheduled');
    expect(overlayText(player)).toMatch(/^Starts /);
    expect(player.shadowRoot?.querySelector('video')?.getAttribute('poster')).toBe(poster);
    expect(player.shadowRoot?.querySelector('[part="controls"]')?.hasAttribute('hidden')).toBe(
      true,
    );

    // The host goes live: the viewer's player follows without a reload.
    await host.streams.start(stream.id);
    const publisher = new Publisher(host, { streamId: stream.id, quality: '360p' });
    await publisher.publish();
    await expect.poll(() => player.dataset.phase).toBe('live');
    await expect.poll(() => player.dataset.status, { timeout: 30_000 }).toBe('playing');
    expect(player.player?.getSnapshot().live).toBe(true);
    publisher.destroy();
    await host.streams.end(stream.id);
  }, 60_000);

  it('shows every viewer the end within 2 s, stops loading the live stream, closes chat and Q&A, then offers the replay', async () => {
    const host = await signedInClient('Ending host');
    const { stream } = await host.streams.create({
      title: 'Lecture',
      recording: true,
      qnaEnabled: true,
    });
    await host.streams.start(stream.id);
    const publisher = new Publisher(host, { streamId: stream.id, quality: '360p' });
    await publisher.publish();

    const viewer = await signedInClient('Ending viewer');
    const container = mount(`
      <onair-player muted></onair-player>
      <onair-viewer-count></onair-viewer-count>
      <onair-chat></onair-chat>
      <onair-qna></onair-qna>`);
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    for (const element of container.querySelectorAll(
      'onair-player, onair-viewer-count, onair-chat, onair-qna',
    )) {
      Object.assign(element, { client: viewer, streamId: stream.id });
    }
    const chat = container.querySelector('onair-chat') as HTMLElement;
    const qna = container.querySelector('onair-qna') as HTMLElement;
    const count = container.querySelector('onair-viewer-count') as HTMLElement;
    await expect.poll(() => player.dataset.status, { timeout: 30_000 }).toBe('playing');
    await expect.poll(() => chat.shadowRoot?.querySelector('form input')).toBeTruthy();
    await expect.poll(() => qna.shadowRoot?.querySelector('form input')).toBeTruthy();
    expect(getComputedStyle(count).display).not.toBe('none');
    // Blocking playlist reloads are listed once answered (a part later).
    await expect.poll(() => livePlaylistRequests(stream.id)).toBeGreaterThan(0);

    // The broadcaster ends the stream (as the broadcaster element does: stop sending, then end).
    publisher.destroy();
    const endedAt = performance.now();
    await host.streams.end(stream.id);
    await expect
      .poll(() => ['ended', 'replay'].includes(player.dataset.phase ?? ''), { timeout: 2000 })
      .toBe(true);
    const endSeenMs = performance.now() - endedAt;
    expect(endSeenMs).toBeLessThan(2000);
    console.info(
      `the viewer saw the end ${Math.round(endSeenMs)} ms after the end request was sent`,
    );
    if (player.dataset.phase === 'ended') {
      expect(overlayText(player)).toContain('This stream has ended');
      expect(player.dataset.status).toBe('ended');
    }
    expect(overlayText(player)).not.toContain('reconnecting');
    await expect.poll(() => getComputedStyle(count).display).toBe('none');
    await expect
      .poll(() => chat.shadowRoot?.querySelector('.closed')?.textContent)
      .toBe('Chat is closed: the stream has ended');
    expect(chat.shadowRoot?.querySelector('form')).toBe(null);
    await expect
      .poll(() => qna.shadowRoot?.querySelector('.closed')?.textContent)
      .toBe('Questions are closed: the stream has ended');

    // No more live playlist requests once the end is known.
    const requests = livePlaylistRequests(stream.id);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(livePlaylistRequests(stream.id)).toBe(requests);

    // The recording is finished: the replay loads, paused on its poster, with a seek bar from 0.
    await expect.poll(() => player.dataset.phase, { timeout: 20_000 }).toBe('replay');
    await expect.poll(() => player.player?.getSnapshot().duration ?? 0).toBeGreaterThan(1);
    const snapshot = player.player?.getSnapshot();
    expect(snapshot?.live).toBe(false);
    expect(player.shadowRoot?.querySelector('video')?.getAttribute('poster')).toMatch(
      new RegExp(`/hls/${stream.id}/poster\\.jpg`),
    );
    await expect
      .poll(() => player.shadowRoot?.querySelector('.seek')?.getAttribute('min'))
      .toBe('0');
    expect(player.shadowRoot?.querySelector('.replay-badge')?.textContent).toBe('REPLAY');
    const watch = player.shadowRoot?.querySelector('button.replay') as HTMLButtonElement;
    expect(watch.textContent).toContain('Watch the replay');
    watch.click();
    await expect.poll(() => player.dataset.status, { timeout: 15_000 }).toBe('playing');
    const video = player.shadowRoot?.querySelector('video') as HTMLVideoElement;
    await expect.poll(() => video.currentTime, { timeout: 10_000 }).toBeGreaterThan(0.5);
    player.player?.seek(0);
    await expect.poll(() => video.currentTime < 0.5).toBe(true);

    // A viewer arriving later opens the ended stream on its replay.
    const late = mount('<onair-player muted></onair-player>').querySelector(
      'onair-player',
    ) as OnAirPlayerElement;
    late.client = await signedInClient('Late viewer');
    late.streamId = stream.id;
    await expect.poll(() => late.dataset.phase).toBe('replay');
    await expect.poll(() => late.dataset.status, { timeout: 15_000 }).toBe('paused');
    await expect.poll(() => late.player?.getSnapshot().duration ?? 0).toBeGreaterThan(1);
  }, 90_000);

  it('says "ended" for a stream that ended without a recording, with no controls', async () => {
    const host = await signedInClient('Unrecorded host');
    const { stream } = await host.streams.create({ title: 'Not recorded' });
    await host.streams.start(stream.id);
    await host.streams.end(stream.id);
    const player = mount('<onair-player></onair-player>').querySelector(
      'onair-player',
    ) as OnAirPlayerElement;
    player.client = await signedInClient('Unrecorded viewer');
    player.streamId = stream.id;
    await expect.poll(() => player.dataset.status).toBe('ended');
    expect(overlayText(player)).toBe('This stream has ended');
    expect(player.shadowRoot?.querySelector('[part="controls"]')?.hasAttribute('hidden')).toBe(
      true,
    );
  });
});
