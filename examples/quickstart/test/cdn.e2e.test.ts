import { existsSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnAirClient } from '@onair/core';
import { createServer, type OnAirServer } from '@onair/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

/*
 * The browser build of @onair/elements (dist/cdn/onair.js, from `pnpm build`) on a
 * page without a bundler: one <script type="module">, no import map. A host goes
 * live from its <onair-broadcaster> and a viewer's <onair-player realtime> plays
 * the stream over WebRTC, both with the mediasoup-client chunk the build loads
 * next to it, not the HLS fallback.
 */
const CDN_DIR = fileURLToPath(new URL('../../../packages/elements/dist/cdn', import.meta.url));
const PAGE = fileURLToPath(new URL('./no-build.html', import.meta.url));
const ELEMENTS = [
  'onair-broadcaster',
  'onair-chat',
  'onair-player',
  'onair-poll',
  'onair-qna',
  'onair-reactions',
  'onair-scheduler',
  'onair-stats',
  'onair-stream-card',
  'onair-stream-list',
  'onair-stream-settings',
  'onair-viewer-count',
];

/** What the page reaches of the build's exports (through `window.OnAir`, set below). */
interface CdnExports {
  OnAirClient: new (...args: ConstructorParameters<typeof OnAirClient>) => OnAirClient;
}

let server: OnAirServer;
let browser: Browser;
let staticDir: string;
/** Path of the build's mediasoup-client chunk, as the page requests it. */
let mediasoupChunk: string;

beforeAll(async () => {
  if (!existsSync(join(CDN_DIR, 'onair.js'))) {
    throw new Error(`${CDN_DIR}/onair.js not found: run \`pnpm build\` first`);
  }
  const chunks = await readdir(join(CDN_DIR, 'chunks'));
  const contents = await Promise.all(
    chunks.map((name) => readFile(join(CDN_DIR, 'chunks', name), 'utf8')),
  );
  // mediasoup-client names its debug loggers after itself.
  const found = chunks.filter((_, i) => contents[i]?.includes('"mediasoup-client"'));
  expect(found).toHaveLength(1);
  mediasoupChunk = `/cdn/chunks/${found[0]}`;
  staticDir = await mkdtemp(join(tmpdir(), 'onair-cdn-'));
  await copyFile(PAGE, join(staticDir, 'index.html'));
  await cp(CDN_DIR, join(staticDir, 'cdn'), { recursive: true });
  server = await createServer({
    devAuth: true,
    staticDir,
    logLevel: 'error',
    databaseUrl: undefined,
    media: { rtmpPort: 0 },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (staticDir) await rm(staticDir, { recursive: true, force: true });
});

/** Opens the page in a fresh context; records its scripts, failed scripts and page errors. */
async function open(): Promise<{ page: Page; scripts: string[]; problems: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const scripts: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  // Scripts only: a poster that is not there yet answers 404, and that is fine.
  page.on('requestfailed', (request) => {
    if (request.resourceType() === 'script') problems.push(`failed: ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script' && response.status() >= 400) {
      problems.push(`${response.status()}: ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${server.url}/`);
  // A string, so the test runner's transform leaves the dynamic import alone.
  await page.evaluate(`import('/cdn/onair.js').then((module) => { window.OnAir = module; })`);
  return { page, scripts, problems };
}

/** Gives the page's elements a client signed in with `token`, on `streamId`. */
function connect(page: Page, token: string, streamId: string | null, selector: string) {
  return page.evaluate(
    async ({ token, streamId, selector }) => {
      const { OnAirClient } = (window as unknown as { OnAir: CdnExports }).OnAir;
      const client = new OnAirClient({ baseUrl: location.origin, token });
      const id = streamId ?? (await client.streams.create({ title: 'No-build page' })).stream.id;
      for (const element of document.querySelectorAll(selector)) {
        Object.assign(element, { client, streamId: id });
      }
      return id;
    },
    { token, streamId, selector },
  );
}

describe('@onair/elements browser build on a page without a bundler', () => {
  it('defines every element and exports the client from one script tag', async () => {
    const { page, scripts, problems } = await open();
    const defined = await page.evaluate(
      (names) => names.filter((name) => customElements.get(name) !== undefined),
      ELEMENTS,
    );
    expect(defined).toEqual(ELEMENTS);
    expect(
      await page.evaluate(() => Object.keys((window as { OnAir?: object }).OnAir ?? {})),
    ).toEqual(expect.arrayContaining(['OnAirClient', 'Player', 'Publisher', 'ChatStore']));
    // Nothing but the build itself is loaded: no bare specifier left to an import map;
    // mediasoup-client waits for real time.
    expect(scripts.every((path) => path.startsWith('/cdn/'))).toBe(true);
    expect(scripts).not.toContain(mediasoupChunk);
    // Spanish is registered: an element under lang="es" speaks it.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML(
        'beforeend',
        '<div lang="es"><onair-stats></onair-stats></div>',
      );
    });
    await expect
      .poll(() =>
        page.locator('[lang="es"] onair-stats').evaluate((e) => e.shadowRoot?.textContent),
      )
      .toContain('Aún no hay cifras');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('goes live from <onair-broadcaster> and plays in real time in <onair-player realtime>', async () => {
    const host = await open();
    const streamId = await connect(
      host.page,
      await server.issueToken('usr_cdn_host', 'Host'),
      null,
      'onair-broadcaster, onair-chat',
    );
    await host.page.locator('onair-broadcaster').getByRole('button', { name: 'Go live' }).click();
    await expect
      .poll(
        async () => [
          await host.page.locator('onair-broadcaster').getAttribute('data-status'),
          ...(await host.page.locator('onair-broadcaster').evaluate((element) => {
            const state = (
              element as unknown as {
                publisher?: { getSnapshot(): { error: { code: string; message: string } | null } };
              }
            ).publisher?.getSnapshot();
            return state?.error ? [`${state.error.code}: ${state.error.message}`] : [];
          })),
          ...host.problems,
        ],
        { timeout: 30_000 },
      )
      .toEqual(['live']);

    const viewer = await open();
    await connect(
      viewer.page,
      await server.issueToken('usr_cdn_viewer', 'Viewer'),
      streamId,
      'onair-player, onair-chat',
    );
    const video = () =>
      viewer.page.locator('onair-player').evaluate((player) => {
        const element = player.shadowRoot?.querySelector('video') as HTMLVideoElement;
        return {
          status: player.dataset.status,
          realtime: element.srcObject !== null,
          width: element.videoWidth,
          frames: element.getVideoPlaybackQuality().totalVideoFrames,
        };
      });
    await expect.poll(async () => (await video()).width, { timeout: 20_000 }).toBeGreaterThan(0);
    const first = await video();
    expect(first.realtime).toBe(true); // WebRTC, not the HLS fallback
    await expect
      .poll(async () => (await video()).frames, { timeout: 10_000 })
      .toBeGreaterThan(first.frames + 15);
    expect((await video()).status).toBe('playing');

    // Both pages loaded mediasoup-client as a chunk of the build, and nothing from elsewhere.
    for (const { scripts } of [host, viewer]) {
      expect(scripts).toContain(mediasoupChunk);
      expect(scripts.every((path) => path.startsWith('/cdn/'))).toBe(true);
    }
    expect([...host.problems, ...viewer.problems]).toEqual([]);
    await viewer.page.context().close();
    await host.page.context().close();
  }, 90_000);

  it('adds the elements outside the main script from modules of their own that share its code', async () => {
    const { page, scripts, problems } = await open();
    const before = scripts.length;
    await page.evaluate(
      `Promise.all(['chat-replay', 'clip-button', 'remind-button', 'followers'].map((name) => import('/cdn/' + name + '.js')))`,
    );
    expect(
      await page.evaluate(() =>
        [
          'onair-chat-replay',
          'onair-chapter-button',
          'onair-clip-button',
          'onair-remind-button',
          'onair-followers',
        ].filter((name) => customElements.get(name) === undefined),
      ),
    ).toEqual([]);
    // One copy of the elements' base (and so of lit and core): the new elements extend the
    // same class as the main script's.
    expect(
      await page.evaluate(
        () =>
          Object.getPrototypeOf(customElements.get('onair-followers')) ===
          Object.getPrototypeOf(customElements.get('onair-poll')),
      ),
    ).toBe(true);
    // Their modules, from the build alone.
    const added = scripts.slice(before);
    expect(added.every((path) => path.startsWith('/cdn/'))).toBe(true);
    expect(added).toEqual(
      expect.arrayContaining([
        '/cdn/chat-replay.js',
        '/cdn/clip-button.js',
        '/cdn/remind-button.js',
        '/cdn/followers.js',
      ]),
    );

    // The followers list works with the main script's client: the owner sees an empty list.
    const token = await server.issueToken('usr_cdn_owner', 'Owner');
    await page.evaluate(
      ({ token }) => {
        const { OnAirClient } = (window as unknown as { OnAir: CdnExports }).OnAir;
        const list = document.createElement('onair-followers');
        Object.assign(list, {
          client: new OnAirClient({ baseUrl: location.origin, token }),
          channelId: 'usr_cdn_owner',
        });
        document.body.append(list);
      },
      { token },
    );
    await expect
      .poll(() =>
        page
          .locator('onair-followers')
          .evaluate((list) => list.shadowRoot?.querySelector('[part="empty"]')?.textContent),
      )
      .toBe('No followers yet');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
