import type { OnAirClient } from '@onair/core';
import { StreamAnalyticsStore, streamAnalytics } from '@onair/core/analytics';
import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-analytics.js';
import '../translations/es.js';
import type { OnAirStreamSummaryElement } from './stream-summary.component.js';
import { reportSessions } from './test-beacons.js';

/* The compact report against the browser project's real server, from real beacons. */

const clients: OnAirClient[] = [];
afterEach(() => {
  document.body.innerHTML = '';
  for (const client of clients.splice(0)) client.destroy();
});

async function signedIn(name: string): Promise<OnAirClient> {
  const client = await signedInClient(name);
  clients.push(client);
  return client;
}

const root = (el: HTMLElement) => el.shadowRoot as ShadowRoot;

/** The tiles as `{ label: value }`. */
const tiles = (el: HTMLElement) =>
  Object.fromEntries(
    [...root(el).querySelectorAll('.tile')].map((tile) => [
      tile.querySelector('dt')?.textContent?.trim(),
      tile.querySelector('dd')?.textContent?.trim(),
    ]),
  );

describe('<onair-stream-summary>', () => {
  it("sums up an ended stream in the page's language, with a sparkline of its minutes", async () => {
    const host = await signedIn('Summary host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [
      { startupMs: 600, watchMs: 30_000, bitrateKbps: 3000, height: 1080 },
      { startupMs: 900, watchMs: 45_000, bitrateKbps: 3000, height: 1080 },
      { startupMs: null, watchMs: 0 },
    ]);
    await host.streams.end(stream.id);
    const report = await streamAnalytics(host, stream.id);

    const el = mount(
      '<div lang="es"><onair-stream-summary></onair-stream-summary></div>',
    ).querySelector('onair-stream-summary') as OnAirStreamSummaryElement;
    el.client = host;
    el.streamId = stream.id;
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');
    expect(el.hasAttribute('data-live')).toBe(false);
    expect(root(el).querySelector('h2')?.textContent).toBe('Resumen de la emisión');
    expect(tiles(el)).toMatchObject({
      'Espectadores únicos': '3',
      'Máximo de espectadores': String(report.peakViewers),
      'Mensajes de chat': '0',
      'Puntuación de experiencia': new Intl.NumberFormat('es', {
        maximumFractionDigits: 0,
      }).format(report.qoe.score ?? 0),
    });
    const score = root(el).querySelector<HTMLElement>('[data-figure="score"]');
    expect(score?.dataset.level).toBe((report.qoe.score ?? 0) >= 90 ? 'good' : 'fair');

    const sparkline = root(el).querySelector('[data-chart="viewers"]') as HTMLElement;
    expect(sparkline.getAttribute('aria-label')).toBe('Espectadores a lo largo del tiempo');
    expect(sparkline.querySelector('p.visually-hidden')?.textContent).toMatch(
      new RegExp(`^${report.timeline.length} minutos de `),
    );
    await expect
      .poll(() => sparkline.querySelector<HTMLElement>('.plot')?.dataset.points)
      .toBe(String(report.timeline.length));
    expect(sparkline.querySelector('canvas')).not.toBeNull();
    // A sparkline: no axes.
    expect(
      [...sparkline.querySelectorAll<HTMLElement>('.u-axis')].every(
        (axis) => axis.style.display === 'none' || axis.classList.contains('u-off'),
      ),
    ).toBe(true);
  });

  it('shares a store it is given, and refuses a stranger like the dashboard', async () => {
    const host = await signedIn('Shared store host');
    const stream = await createStream(host, true);
    await reportSessions(stream.id, [{ startupMs: 500, watchMs: 12_000 }]);
    const store = new StreamAnalyticsStore(host, stream.id);
    const el = mount('<onair-stream-summary></onair-stream-summary>').querySelector(
      'onair-stream-summary',
    ) as OnAirStreamSummaryElement;
    el.store = store;
    await expect.poll(() => el.dataset.state, { timeout: 10_000 }).toBe('ready');
    expect(tiles(el)['Unique viewers']).toBe('1');
    // No client given: no stream to follow, so no live badge.
    expect(el.hasAttribute('data-live')).toBe(false);

    const stranger = await signedIn('Not the owner');
    const refused = mount('<onair-stream-summary></onair-stream-summary>').querySelector(
      'onair-stream-summary',
    ) as OnAirStreamSummaryElement;
    refused.client = stranger;
    refused.streamId = stream.id;
    await expect.poll(() => refused.dataset.error, { timeout: 10_000 }).toBe('FORBIDDEN');
    expect(refused.dataset.state).toBe('error');
    expect(root(refused).querySelector('[role="alert"]')?.textContent?.trim()).toBe(
      "Only the stream's owner and moderators can see analytics",
    );
  });
});
