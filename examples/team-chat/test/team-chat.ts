import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.js';
import { startTeamChat, type TeamChat } from '../backend/app.js';

/** The team chat built by Vite and running on free ports, with Chromium to drive it. */
export interface TeamChatHarness {
  teamChat: TeamChat;
  browser: Browser;
  /** The secret the app signs OnAir tokens with. */
  jwtSecret: string;
  /** Stops Chromium and the servers and removes the build, every step even if one fails. */
  close(): Promise<void>;
}

/** Runs every cleanup step, even when one fails; then throws the first failure. */
async function runAll(steps: (() => Promise<unknown>)[]): Promise<void> {
  const results = await Promise.allSettled(steps.map((step) => step()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Builds the pages into a temporary folder, starts the team chat on them and
 * launches Chromium. If a step fails, what was started is stopped again.
 */
export async function startHarness(): Promise<TeamChatHarness> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tempDir = await mkdtemp(join(tmpdir(), 'onair-team-chat-'));
  // The build lives in a folder named `assets`: only the root's own `assets/` may be cached for good.
  const outDir = join(tempDir, 'assets');
  const jwtSecret = `test-secret-${crypto.randomUUID()}`;
  let teamChat: TeamChat | undefined;
  let browser: Browser | undefined;
  const close = () =>
    runAll([
      async () => browser?.close(),
      async () => teamChat?.close(),
      () => rm(tempDir, { recursive: true, force: true }),
    ]);
  try {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    teamChat = await startTeamChat({
      staticDir: outDir,
      jwtSecret,
      // Browsers publish over WebRTC: no RTMP port to collide with other test files.
      onair: { media: { rtmpPort: false } },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { teamChat, browser, jwtSecret, close };
}
