import { afterEach, describe, expect, it } from 'vitest';
import type { OnAirBroadcasterElement } from '../broadcaster/broadcaster.component.js';
import { createStream, mount, signedInClient } from '../test-support.js';
import '../broadcaster/onair-broadcaster.js';
import './onair-stats.js';
import '../translations/es.js';
import type { OnAirStatsElement } from './stats.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

const figures = (stats: OnAirStatsElement) =>
  Object.fromEntries(
    [...(stats.shadowRoot?.querySelectorAll('dt') ?? [])].map((dt) => [
      dt.textContent?.trim(),
      dt.nextElementSibling?.textContent?.trim(),
    ]),
  );

describe('<onair-stats>', () => {
  it("shows a live broadcaster's figures, found by id, in the page language", async () => {
    const client = await signedInClient('Stats host');
    const stream = await createStream(client, false);
    const container = mount(`<div lang="es">
      <onair-broadcaster id="studio" no-confirm></onair-broadcaster>
      <onair-stats for="studio"></onair-stats>
    </div>`);
    const studio = container.querySelector('onair-broadcaster') as OnAirBroadcasterElement;
    const stats = container.querySelector('onair-stats') as OnAirStatsElement;
    await stats.updateComplete;
    expect(stats.shadowRoot?.textContent?.trim()).toBe('Aún no hay cifras');
    studio.client = client;
    studio.streamId = stream.id;
    await studio.updateComplete;
    void studio.goLive();
    await expect
      .poll(() => Number.parseInt(figures(stats)['Tasa de bits'] ?? '0', 10), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const shown = figures(stats);
    expect(shown.Imagen).toMatch(/^\d+×\d+ @ \d+$/);
    expect(shown['Limitado por']).toMatch(/^(none|cpu|bandwidth|other)$/);
    // The server's receiver reports give the round trip and the loss.
    await expect
      .poll(() => figures(stats)['Ida y vuelta'], { timeout: 10_000 })
      .toMatch(/^\d+ ms$/);
    expect(figures(stats)['Pérdida de paquetes']).toMatch(/^\d+\.\d %$/);
    expect(stats.shadowRoot?.querySelector('dl')?.getAttribute('aria-label')).toBe(
      'Cifras en vivo',
    );
    await studio.end();
  });
});
