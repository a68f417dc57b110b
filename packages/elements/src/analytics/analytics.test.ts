/// <reference types="vite/client" />
/// <reference types="@vitest/browser-playwright" />
import { ChatStore, OnAirClient } from '@onair/core';
import { streamAnalytics } from '@onair/core/analytics';
import type { PublishReport } from '@onair/protocol/analytics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdp } from 'vitest/browser';
import { createStream, mount, signedInClient } from '../test-support.js';
import type { OnAirAnalyticsElement } from './analytics.component.js';
import './onair-analytics.js';
import '../translations/es.js';
import installedUplotCss from 'uplot/dist/uPlot.min.css?raw';
import { reportSessions } from './test-beacons.js';
import { UPLOT_CSS } from './uplot.styles.js';

/*
 * The dashboard against the browser project's real server: the data comes
 * from real beacons posted as players post them, the report and its live
 * pushes from the server's own analytics.
 */

const clients: OnAirClient[] = [];
afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.destroy();
});

async function signedIn(name: string): Promise<OnAirClient> {
  const client = await signedInClient(name);
  clients.push(client);
  return client;
}

function dashboard(client: OnAirClient, streamId: string, lang = 'en'): OnAirAnalyticsElement {
  const el = mount(`<onair-analytics lang="${lang}"></onair-analytics>`).querySelector(
    'onair-analytics',
  ) as OnAirAnalyticsElement;
  el.client = client;
  el.streamId = streamId;
  return el;
}

const root = (el: HTMLElement) => el.shadowRoot as ShadowRoot;

/** The tiles as `{ figure: value }`. */
const tiles = (el: HTMLElement) =>
  Object.fromEntries(
    [...root(el).querySelectorAll<HTMLElement>('[data-figure]')].map((tile) => [
      tile.dataset.figure,
      tile.querySelector('dd')?.textContent?.trim(),
    ]),
  );

/** The brand colour in each scheme (`--_brand: light-dark(#5b3cc4, #baf)`), the charts' line. */
const BRAND = { light: [91, 60, 196], dark: [187, 170, 255] } as const;

/**
 * Which scheme the viewers chart is drawn in: the one whose line colour its
 * canvas has opaque pixels of (and not the other's), else null.
 */
function chartScheme(el: HTMLElement): 'light' | 'dark' | null {
  const canvas = root(el).querySelector<HTMLCanvasElement>('[data-chart="viewers"] canvas');
  const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  const drawn = (rgb: readonly number[]) => {
    for (let i = 0; pixels && i < pixels.length; i += 4) {
      if (pixels[i + 3] === 255 && rgb.every((value, c) => pixels[i + c] === value)) return true;
    }
    return false;
  };
  const light = drawn(BRAND.light);
  return light === drawn(BRAND.dark) ? null : light ? 'light' : 'dark';
}

const en = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat('en', options);
const seconds = (n: number) => en({ style: 'unit', unit: 'second' }).format(n);
const ms = (n: number) => en({ style: 'unit', unit: 'millisecond' }).format(n);
const percent = (n: number) => en({ style: 'percent', maximumFractionDigits: 1 }).format(n / 100);

describe('<onair-analytics>', () => {
  it("shows a live stream's report: tiles, charts of its minutes, the live badge", async () => {
    const host = await signedIn('Dashboard host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [
      {
        startupMs: 800,
        watchMs: 40_000,
        rebufferMs: 2000,
        rebufferCount: 1,
        bitrateKbps: 2400,
        height: 720,
      },
      { startupMs: 1200, watchMs: 20_000, bitrateKbps: 1200, height: 720 },
    ]);
    // Three chat messages, and the host's browser Publisher reporting what it sent.
    const chat = new ChatStore(host, stream.id);
    const offChat = chat.subscribe(() => undefined);
    await expect.poll(() => chat.getSnapshot().status).toBe('joined');
    for (const text of ['hi', 'hello', 'hey']) await chat.send(text);
    offChat();
    const publishReport: PublishReport = {
      sessionId: `ps_${crypto.randomUUID()}`,
      startedAt: Date.now() - 60_000,
      sampledMs: 40_000,
      bitrateKbps: 2000,
      frameRate: 30,
      height: 720,
      packetLoss: 0,
      limitedMs: { cpu: 0, bandwidth: 10_000, other: 0 },
      reconnects: 1,
      ended: false,
    };
    await host.requestText(`/v1/streams/${stream.id}/publish-report`, {
      method: 'POST',
      body: publishReport,
    });
    const report = await streamAnalytics(host, stream.id);
    expect(report.engagement.chatMessages).toBe(3);

    const el = dashboard(host, stream.id);
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');
    expect(el.hasAttribute('data-live')).toBe(true);
    expect(root(el).querySelector('[part="live"]')?.textContent).toBe('LIVE');
    expect(root(el).querySelector('[part="updated"]')?.textContent?.trim()).toBe(
      'Updated just now',
    );
    expect(tiles(el)).toMatchObject({
      uniqueViewers: '2',
      peakViewers: String(report.peakViewers),
      totalWatch: `${en({ style: 'unit', unit: 'minute' }).format(1)} ${seconds(0)}`,
      averageView: seconds(30),
      chatMessages: '3',
      chatters: '1',
      followsGained: '0',
      startupMedian: ms(report.qoe.startupMsMedian ?? 0),
      startupP95: ms(report.qoe.startupMsP95 ?? 0),
      rebuffering: percent(report.qoe.rebufferPercent),
      failures: '0%',
      score: String(Math.round(report.qoe.score ?? 0)),
      // The broadcast: the Publisher's figures (no ingest health: this stream has no media).
      sendBitrate: en({ style: 'unit', unit: 'kilobit-per-second' }).format(2000),
      frameRate: '30',
      picture: '720p',
      limitedByCpu: '0%',
      limitedByBandwidth: '25%',
      reconnects: '1',
      ingestHealth: '–',
    });
    // 2 s stalled over 62 s of playback.
    expect(report.qoe.rebufferPercent).toBeCloseTo(3.23, 1);
    expect(root(el).querySelectorAll('dl[part="tiles"]')).toHaveLength(4);

    // uPlot arrives lazily and draws every minute of the timeline.
    const minutes = String(report.timeline.length);
    expect(report.timeline.length).toBeGreaterThan(0);
    for (const chart of ['viewers', 'rebuffer', 'bitrate', 'chat']) {
      const figure = root(el).querySelector(`[data-chart="${chart}"]`) as HTMLElement;
      expect(figure.getAttribute('aria-label')).toBeTruthy();
      await expect
        .poll(() => figure.querySelector<HTMLElement>('.plot')?.dataset.points)
        .toBe(minutes);
      expect(figure.querySelector('.plot canvas')).not.toBeNull();
      expect(figure.querySelectorAll('tbody tr')).toHaveLength(report.timeline.length);
      expect(figure.querySelector('table')?.className).toBe('visually-hidden');
    }
    const bitrateCells = [
      ...root(el).querySelectorAll('[data-chart="bitrate"] tbody td:last-child'),
    ].map((td) => td.textContent);
    expect(bitrateCells).toEqual(
      report.timeline.map((m) =>
        en({ style: 'unit', unit: 'kilobit-per-second', maximumFractionDigits: 0 }).format(
          m.bitrateKbps ?? 0,
        ),
      ),
    );
    // The chat rate: the three messages, in the minutes they were sent.
    const chatCells = [...root(el).querySelectorAll('[data-chart="chat"] tbody td:last-child')];
    expect(chatCells.map((td) => td.textContent)).toEqual(
      report.timeline.map((m) => String(m.chatMessages)),
    );
    expect(report.timeline.reduce((sum, m) => sum + m.chatMessages, 0)).toBe(3);
    // uPlot's stylesheet reaches the shadow root, and is the installed uplot's.
    const rules = root(el).adoptedStyleSheets.flatMap((sheet) =>
      [...sheet.cssRules].map((rule) => (rule as CSSStyleRule).selectorText),
    );
    expect(rules).toContain('.u-wrap');
    expect(UPLOT_CSS).toBe(installedUplotCss.trim());
  });

  it('draws its charts again in the new colours when the colour scheme changes', async () => {
    const host = await signedIn('Theme host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [{ startupMs: 800, watchMs: 150_000 }]);
    const el = dashboard(host, stream.id);
    el.theme = 'light';
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => chartScheme(el)).toBe('light');

    // The theme attribute.
    el.setAttribute('theme', 'dark');
    await expect.poll(() => chartScheme(el)).toBe('dark');

    // The page's scheme, which the element cannot see change: the page says so with repaint().
    el.removeAttribute('theme');
    await expect.poll(() => chartScheme(el)).toBe('light');
    el.parentElement?.style.setProperty('--onair-color-scheme', 'dark');
    el.repaint();
    await expect.poll(() => chartScheme(el)).toBe('dark');

    // The system's scheme, which `auto` follows (emulated last: its change events come late).
    const session = cdp();
    const emulate = (value: string) =>
      session.send('Emulation.setEmulatedMedia', {
        features: [{ name: 'prefers-color-scheme', value }],
      });
    try {
      await emulate('light');
      el.theme = 'auto';
      await expect.poll(() => chartScheme(el)).toBe('light');
      await emulate('dark');
      await expect.poll(() => chartScheme(el)).toBe('dark');
    } finally {
      await emulate('');
    }
  });

  it('lists who watched, with the anonymous visits, 20 at a time (#21 item 10)', async () => {
    const host = await signedIn('History host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [{ startupMs: 900, watchMs: 30_000 }]);
    // 21 signed-in viewers and an anonymous one in the stream's room.
    const names = Array.from({ length: 21 }, (_, i) => `Watcher ${String(i + 1).padStart(2, '0')}`);
    const watchers = await Promise.all(names.map((name) => signedIn(name)));
    const anonymous = new OnAirClient({ baseUrl: location.origin });
    clients.push(anonymous);
    const leases = [...watchers, anonymous].map((client) => client.realtime.holdRoom(stream.id));
    await Promise.all(leases.map((lease) => lease.joined));

    const el = dashboard(host, stream.id);
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');
    const section = () => root(el).querySelector<HTMLElement>('[part="viewers"]');
    const rows = () => [...(section()?.querySelectorAll<HTMLElement>('tbody tr') ?? [])];
    await expect.poll(() => rows().length).toBe(20);
    expect(section()?.querySelector('h3')?.textContent).toBe('Who watched');
    expect(section()?.querySelector('p.muted')?.textContent).toBe(
      'Signed-in viewers: 21 · anonymous visits: 1',
    );
    expect(
      [...(section()?.querySelectorAll('thead th') ?? [])].map((th) => th.textContent),
    ).toEqual(['Viewer', 'First came', 'Watched', 'Visits']);
    expect(rows()[0]?.querySelectorAll('td')[2]?.textContent).toBe('1');
    (section() as HTMLElement).querySelector<HTMLButtonElement>('button.more')?.click();
    await expect.poll(() => rows().length).toBe(21);
    expect(
      rows()
        .map((row) => row.querySelector('th')?.textContent)
        .sort(),
    ).toEqual(names);
    expect(new Set(rows().map((row) => row.dataset.id)).size).toBe(21);
    expect(section()?.querySelector('button.more')).toBeNull();
    for (const lease of leases) lease.release();

    // A stranger's dashboard is refused, and so is its list: no names leak.
    const stranger = dashboard(watchers[0] as OnAirClient, stream.id);
    await expect.poll(() => stranger.dataset.error, { timeout: 10_000 }).toBe('FORBIDDEN');
    expect(root(stranger).querySelector('[part="viewers"]')).toBeNull();
  });

  it('follows who joins with the live pushes while the first page shows', async () => {
    const host = await signedIn('Live history host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [{ startupMs: 700, watchMs: 10_000 }]);
    const el = dashboard(host, stream.id);
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');
    const names = () =>
      [...root(el).querySelectorAll('[part="viewers"] tbody th')].map((th) => th.textContent);
    await expect
      .poll(() => root(el).querySelector('[part="viewers"] p.muted')?.textContent)
      .toBe('Signed-in viewers: 0 · anonymous visits: 0');
    const late = await signedIn('Late Watcher');
    const lease = late.realtime.holdRoom(stream.id);
    await lease.joined;
    // The server pushes the live report every 5 s; the list is read again with it.
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Late Watcher']);
    lease.release();
  });

  it("downloads the server's CSV with the owner's token", async () => {
    const host = await signedIn('CSV host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [{ startupMs: 900, watchMs: 30_000, bitrateKbps: 1800 }]);
    const el = dashboard(host, stream.id);
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');

    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:onair-test';
    });
    const links: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      links.push(this);
    });
    const button = root(el).querySelector('[part="download"]') as HTMLButtonElement;
    expect(button.textContent?.trim()).toBe('Download CSV');
    button.focus();
    expect(root(el).activeElement).toBe(button);
    button.click();
    await expect.poll(() => links.length).toBe(1);
    expect(links[0]?.download).toBe(`stream-${stream.id}-analytics.csv`);
    expect(links[0]?.href).toBe('blob:onair-test');
    const served = await host.requestText(`/v1/streams/${stream.id}/analytics.csv`);
    expect(await blobs[0]?.text()).toBe(served.text);
    expect(served.text).toMatch(
      /^minute,average_viewers,watch_ms,rebuffer_ms,rebuffers,bitrate_kbps,chat_messages\r\n/,
    );
    await expect.poll(() => button.disabled).toBe(false);
  });

  it('takes live pushes while the stream is live, and the final report when it ends', async () => {
    // Counts the report's REST fetches: the live figures must come another way.
    let fetches = 0;
    const host = await signedInClient('Live dashboard host', (input, init) => {
      if (/\/analytics$/.test(new URL(String(input)).pathname)) fetches++;
      return fetch(input, init);
    });
    clients.push(host);
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [{ startupMs: 700, watchMs: 10_000 }]);
    const el = dashboard(host, stream.id);
    await expect.poll(() => tiles(el).uniqueViewers, { timeout: 10_000 }).toBe('1');
    expect(fetches).toBe(1);

    // The next figures come over realtime (`stream:analytics`, every 5 s while live).
    await reportSessions(stream.id, [
      { startupMs: 900, watchMs: 15_000 },
      { startupMs: 1100, watchMs: 5_000 },
    ]);
    await expect.poll(() => tiles(el).uniqueViewers, { timeout: 15_000 }).toBe('3');
    expect(fetches).toBe(1);
    expect(el.dataset.state).toBe('ready');

    // The end brings the final report over REST; the live badge and the age go.
    await host.streams.end(stream.id);
    await expect.poll(() => el.hasAttribute('data-live'), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => fetches).toBe(2);
    expect(root(el).querySelector('[part="updated"]')).toBeNull();
    expect(tiles(el).uniqueViewers).toBe('3');
  });

  it('tells a non-owner that analytics are for the owner and moderators', async () => {
    const host = await signedIn('Private host');
    const stream = await createStream(host, true);
    const stranger = await signedIn('Curious viewer');
    const el = dashboard(stranger, stream.id);
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('error');
    expect(el.dataset.error).toBe('FORBIDDEN');
    const status = root(el).querySelector('[part="status"]');
    expect(status?.getAttribute('role')).toBe('alert');
    expect(status?.textContent?.trim()).toBe(
      "Only the stream's owner and moderators can see analytics",
    );
    expect(root(el).querySelector('[data-figure]')).toBeNull();
    expect((root(el).querySelector('[part="download"]') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says so when nobody watched yet, in the page language', async () => {
    const host = await signedIn('Quiet host');
    const stream = await createStream(host, true);
    const el = dashboard(host, stream.id, 'es');
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('empty');
    expect(root(el).querySelector('[part="status"]')?.textContent?.trim()).toBe(
      'Aún no hay visionados: las cifras aparecen cuando el público empieza a ver.',
    );
    expect(root(el).querySelector('h2')?.textContent).toBe('Estadísticas de la emisión');
    expect(root(el).querySelector('[data-chart]')).toBeNull();
    expect(tiles(el).uniqueViewers).toBe('0');
  });
});
