import { afterEach, describe, expect, it } from 'vitest';
import { createStream, mount, signedInClient } from '../test-support.js';
import './onair-player.js';
import type { OnAirPlayerElement } from './player.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('<onair-player>', () => {
  it('reports a stream that is not live as an error with a readable overlay', async () => {
    const client = await signedInClient('Viewer');
    const stream = await createStream(client, false);
    const container = mount('<onair-player></onair-player>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    const statuses: string[] = [];
    player.addEventListener('onair-player-status', (e) => statuses.push(e.detail.status));
    player.client = client;
    player.streamId = stream.id;
    await expect.poll(() => player.dataset.status).toBe('error');
    expect(statuses).toContain('error');
    const overlay = player.shadowRoot?.querySelector('[part="overlay"]');
    expect(overlay?.getAttribute('role')).toBe('alert');
    expect(overlay?.textContent?.trim()).toBe('This stream is not live');
  });

  it('is a labelled, focusable region with labelled controls, in the page language', async () => {
    const container = mount('<div lang="es"><onair-player></onair-player></div>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    await player.updateComplete;
    const region = player.shadowRoot?.querySelector('[role="region"]') as HTMLElement;
    expect(region.getAttribute('aria-label')).toBe('Reproductor de vídeo en vivo');
    expect(region.tabIndex).toBe(0);
    const labels = [...(player.shadowRoot?.querySelectorAll('button') ?? [])].map((b) =>
      b.getAttribute('aria-label'),
    );
    expect(labels).toEqual(['Reproducir', 'Silenciar', 'Imagen en imagen', 'Pantalla completa']);
    expect(player.dataset.status).toBe('idle');
  });

  it('goes to loading when given an HLS URL and keeps retrying while nothing is there', async () => {
    const container = mount('<onair-player muted></onair-player>');
    const player = container.querySelector('onair-player') as OnAirPlayerElement;
    player.src = `${location.origin}/does-not-exist/master.m3u8`;
    await expect.poll(() => player.dataset.status).toBe('loading');
    expect(player.shadowRoot?.querySelector('[part="overlay"]')?.textContent?.trim()).toBe(
      'Loading…',
    );
    player.remove();
  });
});
