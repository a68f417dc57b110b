import { OnAirClient } from '@onair/core';
import type { Clip } from '@onair/protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  cleanedAfterEach,
  createStream,
  mount,
  publishing,
  signedInUser,
} from '../test-support.js';
import './onair-clip-button.js';
import type { OnAirClipButtonElement } from './clip-button.component.js';

/*
 * In Chromium against the real server: the owner publishes from the fake
 * camera, a viewer clips the last seconds once the HLS packager holds them,
 * and the clip's MP4 and poster load from the server.
 */

const cleanup = cleanedAfterEach();

const part = <T extends Element = HTMLElement>(el: Element, name: string) =>
  el.shadowRoot?.querySelector<T & Element>(`[part="${name}"]`) ?? null;

/** Seconds of media in the first rendition of a live stream's HLS (0 until it has a playlist). */
async function hlsSeconds(client: OnAirClient, hlsUrl: string): Promise<number> {
  const master = client.resolveUrl(hlsUrl);
  const response = await fetch(master);
  if (!response.ok) return 0;
  const variant = (await response.text()).split('\n').find((line) => /^[^#\s]/.test(line));
  if (!variant) return 0;
  const media = await fetch(new URL(variant, master));
  if (!media.ok) return 0;
  return [...(await media.text()).matchAll(/^#EXTINF:([\d.]+)/gm)].reduce(
    (sum, [, seconds]) => sum + Number(seconds),
    0,
  );
}

/** The clip button for `streamId`, given `client`, in a page of its own. */
function clipButton(
  client: OnAirClient,
  streamId: string,
  attributes = '',
): OnAirClipButtonElement {
  const button = mount(
    `<onair-clip-button stream-id="${streamId}" ${attributes}></onair-clip-button>`,
  ).querySelector('onair-clip-button') as OnAirClipButtonElement;
  button.client = client;
  return button;
}

/** Every `onair-clip-created` of `element` from now on. */
function created(element: HTMLElement): Clip[] {
  const clips: Clip[] = [];
  element.addEventListener('onair-clip-created', (event) => clips.push(event.detail.clip));
  return clips;
}

describe('<onair-clip-button>', () => {
  it('clips the last seconds of a live stream: the event, the poster, a playable MP4', async () => {
    const host = await signedInUser('Clip host');
    const fan = await signedInUser('Clip fan');
    const stream = await createStream(host.client, true);
    await publishing(host.client, stream.id, cleanup);
    await expect
      .poll(() => hlsSeconds(fan.client, stream.hlsUrl ?? ''), { timeout: 45_000, interval: 1000 })
      .toBeGreaterThanOrEqual(8);

    const element = clipButton(fan.client, stream.id, 'duration="6"');
    await element.updateComplete;
    const clips = created(element);
    const button = part<HTMLButtonElement>(element, 'button') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe('Clip the last 6 seconds');
    expect(element.dataset.state).toBe('idle');
    button.click();
    await element.updateComplete;
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(part(element, 'status')?.textContent).toBe('Clipping…');
    expect(element.dataset.state).toBe('cutting');
    // A second click while cutting does nothing.
    button.click();

    await expect.poll(() => clips.length, { timeout: 20_000 }).toBe(1);
    const clip = clips[0] as Clip;
    expect(clip).toMatchObject({ streamId: stream.id, createdBy: { id: fan.userId } });
    expect(clip.durationSeconds).toBeGreaterThanOrEqual(4);
    expect(clip.durationSeconds).toBeLessThanOrEqual(10);
    await element.updateComplete;
    expect(element.dataset.state).toBe('ready');
    expect(button.getAttribute('aria-disabled')).toBe('false');
    expect(part(element, 'status')?.textContent).toBe('Clip ready');
    expect(part(element, 'result')?.textContent).toContain(
      `${clip.title} ${Math.round(clip.durationSeconds)} s`,
    );

    const open = part<HTMLAnchorElement>(element, 'open') as HTMLAnchorElement;
    expect(open.href).toBe(fan.client.resolveUrl(clip.pageUrl));
    expect(open.target).toBe('_blank');
    expect(open.rel).toBe('noopener');

    const poster = part<HTMLImageElement>(element, 'poster') as HTMLImageElement;
    expect(poster.src).toBe(fan.client.resolveUrl(clip.posterUrl ?? ''));
    await expect
      .poll(() => poster.complete && poster.naturalWidth, { timeout: 10_000 })
      .toBeGreaterThan(0);

    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'metadata';
    const loaded = new Promise<void>((resolve, reject) => {
      video.addEventListener('loadedmetadata', () => resolve(), { once: true });
      video.addEventListener('error', () => reject(new Error(`video: ${video.error?.message}`)), {
        once: true,
      });
    });
    video.src = fan.client.resolveUrl(clip.url);
    document.body.append(video);
    await loaded;
    expect(Math.abs(video.duration - clip.durationSeconds)).toBeLessThanOrEqual(1);

    // Copy link: the share page's address goes to the clipboard.
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    cleanup.push(() => writeText.mockRestore());
    (part<HTMLButtonElement>(element, 'copy') as HTMLButtonElement).click();
    await expect.poll(() => part(element, 'copy')?.textContent).toBe('Link copied');
    expect(writeText).toHaveBeenCalledWith(fan.client.resolveUrl(clip.pageUrl));
    expect(clips).toHaveLength(1);
  });

  it('says why a stream that is not live cannot be clipped, and emits nothing', async () => {
    const host = await signedInUser('Clip planner');
    const fan = await signedInUser('Early fan');
    const { stream } = await host.client.streams.create({
      title: 'Tomorrow',
      scheduledAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });

    const element = clipButton(fan.client, stream.id);
    await element.updateComplete;
    const clips = created(element);
    expect(part(element, 'button')?.getAttribute('aria-label')).toBe('Clip the last 30 seconds');
    part<HTMLButtonElement>(element, 'button')?.click();
    await expect
      .poll(() => part(element, 'error')?.textContent)
      .toBe('Nothing to clip: this stream is not live');
    expect(part(element, 'error')?.getAttribute('role')).toBe('alert');
    expect(element.dataset.state).toBe('error');
    expect(part(element, 'result')).toBeNull();
    expect(clips).toEqual([]);

    // Signed out: asked to sign in, in the page's language.
    const signedOut = mount(
      `<div lang="es-MX"><onair-clip-button stream-id="${stream.id}"></onair-clip-button></div>`,
    ).querySelector('onair-clip-button') as OnAirClipButtonElement;
    signedOut.client = new OnAirClient({ baseUrl: location.origin });
    await signedOut.updateComplete;
    expect(part(signedOut, 'button')?.textContent?.trim()).toBe('✂ Clip');
    part<HTMLButtonElement>(signedOut, 'button')?.click();
    await expect
      .poll(() => part(signedOut, 'error')?.textContent)
      .toBe('Inicia sesión para hacer clips');

    // Without a client, or without a stream, it renders nothing.
    const bare = mount('<onair-clip-button></onair-clip-button>').querySelector(
      'onair-clip-button',
    ) as OnAirClipButtonElement;
    await bare.updateComplete;
    expect(bare.shadowRoot?.querySelector('button')).toBeNull();
    bare.client = fan.client;
    await bare.updateComplete;
    expect(bare.shadowRoot?.querySelector('button')).toBeNull();
    bare.streamId = stream.id;
    await bare.updateComplete;
    expect(bare.shadowRoot?.querySelector('button')).not.toBeNull();
  });
});
