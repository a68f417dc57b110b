import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type OnAirServer } from '@onair/server';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.js';

/** Launches Debian's Chromium or fails with a message that says what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** The quickstart built by Vite and served by a real OnAir server, with Chromium to drive it. */
export interface QuickstartHarness {
  server: OnAirServer;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the quickstart into a temporary folder, starts a server on it and
 * launches Chromium. `media` adds server media options.
 */
export async function startQuickstart(
  name: string,
  media: Record<string, unknown> = {},
): Promise<QuickstartHarness> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = await mkdtemp(join(tmpdir(), `onair-${name}-`));
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await createServer({
    devAuth: true,
    staticDir: outDir,
    logLevel: 'error',
    databaseUrl: undefined,
    // Test files run in parallel: no fixed RTMP port.
    media: { rtmpPort: 0, ...media },
  });
  const browser = await launchChromium();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
