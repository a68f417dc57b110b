/**
 * The quickstart's page watching a stream, for scripts/obs-screenshots.sh:
 * signs in as a viewer, opens `?watch=<id>`, checks that the player plays and
 * saves a screenshot.
 *
 *   tsx scripts/obs-viewer.ts <server URL> <stream id> <png path>
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

const [base, streamId, path] = process.argv.slice(2);
if (!base || !streamId || !path)
  throw new Error('usage: obs-viewer <server URL> <stream id> <png>');

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/?watch=${streamId}`);
  await page.fill('input', 'Ben');
  await page.click('text=Continue');
  // The player's video element is inside its shadow root (Playwright's locators pierce it);
  // the ABR climbs to the top rendition (720p) within seconds.
  const video = page.locator('onair-player video');
  await video.waitFor({ state: 'attached' });
  // (These scripts are typed without the DOM: the page's objects are described as needed.)
  type Video = { videoWidth: number; videoHeight: number; readyState: number };
  type Root = { querySelector(selector: string): { shadowRoot: Root | null } | null };
  await page.waitForFunction(
    () => {
      const page = (globalThis as unknown as { document: Root }).document;
      const video = page.querySelector('onair-player')?.shadowRoot?.querySelector('video') as
        | Video
        | null
        | undefined;
      return !!video && video.videoHeight >= 720 && video.readyState >= 3;
    },
    undefined,
    { timeout: 60_000 },
  );
  // The stats overlay samples once a second: let it catch up with the picture.
  await page.waitForTimeout(3000);
  const size = await video.evaluate((element) => {
    const { videoWidth, videoHeight } = element as unknown as {
      videoWidth: number;
      videoHeight: number;
    };
    return `${videoWidth}×${videoHeight}`;
  });
  process.stdout.write(`Playing ${streamId} at ${size}\n`);
  await page.screenshot({ path });
} finally {
  await browser.close();
}
