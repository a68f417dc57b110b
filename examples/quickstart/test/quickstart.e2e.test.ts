import type { OnAirServer } from '@onair/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QuickstartHarness, startQuickstart } from './browser.js';

let harness: QuickstartHarness;
let server: OnAirServer;
let browser: Browser;

beforeAll(async () => {
  harness = await startQuickstart('quickstart');
  ({ server, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(page: Page, url: string, name: string) {
  await page.goto(url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Reads the player's video element through its shadow root. */
function videoState(page: Page) {
  return page.evaluate(() => {
    const video = document.querySelector('onair-player')?.shadowRoot?.querySelector('video');
    return video
      ? { time: video.currentTime, width: video.videoWidth, height: video.videoHeight }
      : { time: 0, width: 0, height: 0 };
  });
}

const cardTitles = (page: Page, list: string) =>
  page.locator(`#${list} onair-stream-card h3`).allTextContents();

describe('quickstart end to end (Chromium, werift SFU, ffmpeg HLS)', () => {
  it('a new user schedules, goes live, edits and ends; a viewer finds the stream in the lists, watches and chats', async () => {
    const title = `Office hours ${Date.now()}`;
    const host = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    host.on('pageerror', (e) => errors.push(`host: ${e.message}`));
    await signIn(host, server.url, 'Host');

    // Schedule one for later: it appears under "Upcoming".
    const scheduler = host.locator('onair-scheduler');
    await scheduler.getByLabel('Title').fill('Next week');
    await scheduler
      .getByLabel('Start time (leave empty to go live when ready)')
      .fill(
        new Date(Date.now() + 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000)
          .toISOString()
          .slice(0, 16),
      );
    await scheduler.getByRole('button', { name: 'Create stream' }).click();
    await expect
      .poll(() => cardTitles(host, 'scheduled-list'), { timeout: 10_000 })
      .toContain('Next week');
    await expect(scheduler.locator('[part="key"] input').inputValue()).resolves.toMatch(
      /^onair_sk_/,
    );

    // Create one to go live now: the studio opens.
    await scheduler.getByRole('button', { name: 'Schedule a stream' }).click();
    await scheduler.getByLabel('Title').fill(title);
    await scheduler.getByRole('button', { name: 'Create stream' }).click();
    await host.locator('onair-broadcaster').getByRole('button', { name: 'Go live' }).click();
    await host.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    const watchUrl = await host.locator('#watch-link').getAttribute('href');
    expect(watchUrl).toMatch(/\?watch=str_/);

    // A viewer finds it under "Live now" and opens it.
    const viewer = await (await browser.newContext()).newPage();
    viewer.on('pageerror', (e) => errors.push(`viewer: ${e.message}`));
    await signIn(viewer, server.url, 'Viewer');
    await expect.poll(() => cardTitles(viewer, 'live-list'), { timeout: 15_000 }).toContain(title);
    await viewer.locator('#live-list onair-stream-card', { hasText: title }).click();
    await viewer.locator('onair-player[data-status="playing"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await videoState(viewer)).width, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = await videoState(viewer);
    await expect
      .poll(async () => (await videoState(viewer)).time, { timeout: 15_000 })
      .toBeGreaterThan(first.time + 1);
    expect(first.height).toBeGreaterThan(0);

    // Chat from the viewer reaches the host.
    await viewer.locator('onair-chat').getByLabel('Say something…').fill('Hello from the audience');
    await viewer.locator('onair-chat').getByRole('button', { name: 'Send' }).click();
    await host
      .locator('onair-chat li[data-delivery="sent"]', { hasText: 'Hello from the audience' })
      .waitFor({ timeout: 10_000 });

    // The viewer is counted, the broadcaster is not; the viewer's reaction floats over the host's preview.
    await expect
      .poll(() => host.locator('onair-viewer-count').getAttribute('data-count'))
      .toBe('1');
    await viewer.locator('onair-reactions').getByRole('button', { name: 'React with 🎉' }).click();
    await host.locator('onair-reactions .float[data-emoji="🎉"]').waitFor({ timeout: 10_000 });

    // The host starts a poll; the viewer votes and both see the result.
    const hostPoll = host.locator('onair-poll');
    await hostPoll.getByLabel('Question').fill('Next topic?');
    await hostPoll.getByLabel('Options, one per line (2 to 10)').fill('Testing\nDeploying');
    await hostPoll.getByRole('button', { name: 'Start poll' }).click();
    await viewer.locator('onair-poll').getByRole('button', { name: 'Deploying' }).click();
    await host
      .locator('onair-poll .option[data-index="1"] .share', { hasText: '100%' })
      .waitFor({ timeout: 10_000 });

    // The host edits the title and turns Q&A on in the settings; the viewer asks.
    await host.locator('#settings-panel summary').click();
    const settings = host.locator('onair-stream-settings');
    await settings.getByLabel('Title').fill(`${title} (edited)`);
    await settings.getByLabel('Questions & answers').check();
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => host.locator('#stream-title').textContent()).toBe(`${title} (edited)`);
    const viewerQna = viewer.locator('onair-qna');
    await viewerQna.getByLabel('Ask a question…').fill('Is it recorded?');
    await viewerQna.getByRole('button', { name: 'Ask' }).click();
    await host.locator('onair-qna li', { hasText: 'Is it recorded?' }).waitFor({ timeout: 10_000 });

    // Ending moves it from "Live now" to "Past" on the viewer's home page, without a reload.
    await viewer.getByRole('button', { name: 'Back to streams' }).click();
    await host.locator('onair-broadcaster').getByRole('button', { name: 'End stream' }).click();
    // Ending asks first, in the element's own dialog.
    await host
      .locator('onair-broadcaster')
      .getByRole('dialog')
      .getByRole('button', { name: 'End stream' })
      .click();
    await host.locator('onair-broadcaster[data-status="ended"]').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => cardTitles(viewer, 'live-list'), { timeout: 15_000 })
      .not.toContain(`${title} (edited)`);
    await expect
      .poll(() => cardTitles(viewer, 'past-list'), { timeout: 15_000 })
      .toContain(`${title} (edited)`);
    expect(errors).toEqual([]);
  }, 180_000);
});
