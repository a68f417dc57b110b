import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type OnAirServer, type ServerOptions } from '@onair/server';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRedisPrefix } from '../../../packages/server/test/cluster.js';
import { scratchDatabase } from '../../../packages/server/test/scratch-database.js';
import { launchChromium } from './browser.js';

/*
 * Two OnAir servers sharing PostgreSQL and Redis, as in production, both
 * serving the quickstart: a host goes live from Chromium on node A (fake
 * camera, mediasoup-client), and viewers open the stream on node B. The
 * real-time viewer (the SDK's, and a stock WHEP client) gets WebRTC from B,
 * which pipes the stream from A; the HLS viewer gets the LL-HLS that B
 * fetches from A.
 */
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.ONAIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let nodeA: OnAirServer;
let nodeB: OnAirServer;
let browser: Browser;
let outDir: string;
let database: Awaited<ReturnType<typeof scratchDatabase>>;
const prefix = `onair-e2e-${randomBytes(4).toString('hex')}:`;

beforeAll(async () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  outDir = await mkdtemp(join(tmpdir(), 'onair-two-node-'));
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  database = await scratchDatabase(DATABASE_URL);
  const shared: ServerOptions = {
    devAuth: true,
    staticDir: outDir,
    logLevel: 'error',
    jwtSecret: randomBytes(32).toString('hex'),
    streamKeySecret: randomBytes(32).toString('hex'),
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    media: { rtmpPort: false, ladder: ['240p'] },
  };
  // A migrates the database first.
  nodeA = await createServer(shared);
  nodeB = await createServer(shared);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await nodeB?.close();
  await nodeA?.close();
  await database?.drop();
  await dropRedisPrefix(prefix);
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function signIn(page: Page, url: string, name: string) {
  await page.goto(url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** A viewer of the quickstart's watch page on `url`; reports what its player shows. */
async function viewer(url: string) {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, url, 'Viewer on B');
  const video = () =>
    page.locator('onair-player').evaluate((player) => {
      const element = player.shadowRoot?.querySelector('video') as HTMLVideoElement;
      return {
        realtime: element.srcObject !== null,
        height: element.videoHeight,
        time: element.currentTime,
        frames: element.getVideoPlaybackQuality().totalVideoFrames,
      };
    });
  return { page, video, errors };
}

describe('two servers, one deployment (Chromium on the quickstart)', () => {
  it('plays a stream published on node A to real-time and HLS viewers on node B', async () => {
    const host = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    host.on('pageerror', (e) => errors.push(`host: ${e.message}`));
    await signIn(host, `${nodeA.url}/`, 'Host on A');
    const scheduler = host.locator('onair-scheduler');
    await scheduler.getByLabel('Title').fill('Across two servers');
    await scheduler.getByRole('button', { name: 'Create stream' }).click();
    await host.locator('onair-broadcaster').getByRole('button', { name: 'Go live' }).click();
    await host.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    const streamId = new URL(
      (await host.locator('#watch-link').getAttribute('href')) ?? '',
      nodeA.url,
    ).searchParams.get('watch');
    expect(streamId).toMatch(/^str_/);

    // Real time on B: WebRTC from B's router, its tracks piped from A.
    const realtime = await viewer(`${nodeB.url}/?watch=${streamId}&realtime`);
    await expect
      .poll(async () => (await realtime.video()).height, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = await realtime.video();
    expect(first.realtime).toBe(true); // not the HLS fallback
    await expect
      .poll(async () => (await realtime.video()).frames, { timeout: 15_000 })
      .toBeGreaterThan(first.frames + 30);

    // HLS on B: the playlists and media B fetches from A.
    const hls = await viewer(`${nodeB.url}/?watch=${streamId}`);
    await expect.poll(async () => (await hls.video()).time, { timeout: 45_000 }).toBeGreaterThan(1);
    expect((await hls.video()).realtime).toBe(false);

    // A stock WHEP client on B (an RTCPeerConnection, an SDP offer POSTed, no SDK).
    const whep = await (await browser.newContext()).newPage();
    await whep.goto(`${nodeB.url}/healthz`);
    const whepFrames = await whep.evaluate(async (endpoint) => {
      const pc = new RTCPeerConnection();
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      pc.ontrack = ({ streams }) => {
        video.srcObject = streams[0] ?? null;
        void video.play();
      };
      await pc.setLocalDescription(await pc.createOffer());
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: pc.localDescription?.sdp ?? '',
      });
      if (answer.status !== 201) return `WHEP answered ${answer.status}`;
      await pc.setRemoteDescription({ type: 'answer', sdp: await answer.text() });
      const until = performance.now() + 20_000;
      while (performance.now() < until) {
        const frames = video.getVideoPlaybackQuality().totalVideoFrames;
        if (frames > 30) return frames;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return `${video.getVideoPlaybackQuality().totalVideoFrames} frames in 20 s`;
    }, `${nodeB.url}/whep/${streamId}`);
    expect(whepFrames).toBeGreaterThan(30);

    expect([...errors, ...realtime.errors, ...hls.errors]).toEqual([]);
  }, 150_000);
});
