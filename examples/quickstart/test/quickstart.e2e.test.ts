import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type OnAirServer } from '@onair/server';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let outDir: string;
let server: OnAirServer;
let browser: Browser;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'onair-quickstart-'));
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  server = await createServer({
    devAuth: true,
    staticDir: outDir,
    logLevel: 'error',
    databaseUrl: undefined,
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
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

describe('quickstart end to end (Chromium, werift SFU, ffmpeg HLS)', () => {
  it('a broadcaster goes live, a viewer watches the HLS and chats back', async () => {
    const host = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    host.on('pageerror', (e) => errors.push(`host: ${e.message}`));
    await signIn(host, server.url, 'Host');
    await host.getByRole('button', { name: 'Create stream' }).click();
    await host.locator('onair-broadcaster').getByRole('button', { name: 'Go live' }).click();
    await host.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    const watchUrl = await host.locator('#watch-link').getAttribute('href');
    expect(watchUrl).toMatch(/\?watch=str_/);

    const viewer = await (await browser.newContext()).newPage();
    viewer.on('pageerror', (e) => errors.push(`viewer: ${e.message}`));
    await signIn(viewer, new URL(watchUrl ?? '', server.url).toString(), 'Viewer');
    await viewer.locator('onair-player[data-status="playing"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await videoState(viewer)).width, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = await videoState(viewer);
    await expect
      .poll(async () => (await videoState(viewer)).time, { timeout: 15_000 })
      .toBeGreaterThan(first.time + 1);
    expect(first.height).toBeGreaterThan(0);

    await viewer.locator('onair-chat').getByLabel('Say something…').fill('Hello from the audience');
    await viewer.locator('onair-chat').getByRole('button', { name: 'Send' }).click();
    await host
      .locator('onair-chat li[data-delivery="sent"]', { hasText: 'Hello from the audience' })
      .waitFor({ timeout: 10_000 });
    await expect(
      host.locator('onair-chat li', { hasText: 'Viewer' }).count(),
    ).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 180_000);
});
