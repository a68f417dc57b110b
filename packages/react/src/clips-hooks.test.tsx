import { Publisher } from '@onair/core';
import { ClipsApi } from '@onair/core/clips';
import type { Clip } from '@onair/protocol';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { OnAirClipButton, type UseClipsResult, useClips } from './clips.js';
import { cleanUpAfterEach, render, rerender, signedIn } from './test-support.js';

cleanUpAfterEach();

const seen: { clips?: UseClipsResult; made: Clip[] } = { made: [] };

function Clips({ streamId }: { streamId: string }) {
  seen.clips = useClips(streamId);
  return (
    <>
      <OnAirClipButton
        streamId={streamId}
        duration={5}
        onClipCreated={(event) => seen.made.push(event.detail.clip)}
      />
      <ul>
        {seen.clips.items.map((clip) => (
          <li key={clip.id}>{clip.title}</li>
        ))}
      </ul>
    </>
  );
}

/** Seconds of media in the first rendition of a live stream's HLS (0 until it has a playlist). */
async function hlsSeconds(master: string): Promise<number> {
  const response = await fetch(master);
  if (!response.ok) return 0;
  const variant = (await response.text()).split('\n').find((line) => /^[^#\s]/.test(line));
  const media = variant ? await fetch(new URL(variant, master)) : undefined;
  if (!media?.ok) return 0;
  return [...(await media.text()).matchAll(/^#EXTINF:([\d.]+)/gm)].reduce(
    (sum, [, seconds]) => sum + Number(seconds),
    0,
  );
}

describe('useClips', () => {
  it('lists, cuts and deletes the clips of a live stream; a scheduled one has nothing to clip', async () => {
    const host = await signedIn('Clips host');
    const fan = await signedIn('Clips fan');
    const { stream: soon } = await host.client.streams.create({
      title: 'Later',
      scheduledAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
    });
    render(<Clips streamId={soon.id} />, fan.client);
    await expect.poll(() => seen.clips?.status, { timeout: 10_000 }).toBe('ready');
    expect(seen.clips?.items).toEqual([]);
    await act(async () => {
      await expect(seen.clips?.create()).rejects.toMatchObject({ code: 'STREAM_NOT_LIVE' });
    });
    expect(seen.clips?.error?.code).toBe('STREAM_NOT_LIVE');
    expect(seen.clips?.creating).toBe(false);

    const { stream } = await host.client.streams.create({ title: 'Clip me' });
    const live = await host.client.streams.start(stream.id);
    const publisher = new Publisher(host.client, { streamId: stream.id, quality: '360p' });
    try {
      await publisher.publish();
      const master = host.client.resolveUrl(live.hlsUrl ?? '');
      await expect
        .poll(() => hlsSeconds(master), { timeout: 45_000, interval: 1000 })
        .toBeGreaterThanOrEqual(5);

      rerender(<Clips streamId={stream.id} />, fan.client);
      await expect.poll(() => seen.clips?.status).toBe('ready');
      expect(seen.clips?.items).toEqual([]);
      let clip: Clip | undefined;
      await act(async () => {
        clip = await seen.clips?.create({ title: 'Nice one', durationSeconds: 5 });
      });
      expect(clip).toMatchObject({ title: 'Nice one', streamId: stream.id });
      expect(seen.clips?.items).toEqual([clip]);

      // The wrapper's button cuts another; the list has both once loaded again.
      const button = document
        .querySelector('onair-clip-button')
        ?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]');
      expect(button?.getAttribute('aria-label')).toBe('Clip the last 5 seconds');
      button?.click();
      await expect.poll(() => seen.made.length, { timeout: 20_000 }).toBe(1);
      await act(async () => {
        await seen.clips?.store.load();
      });
      expect(seen.clips?.items.map((c) => c.id)).toEqual([seen.made[0]?.id, clip?.id]);

      await act(() => seen.clips?.remove(clip?.id ?? ''));
      expect(seen.clips?.items.map((c) => c.id)).toEqual([seen.made[0]?.id]);
      const listed = await new ClipsApi(host.client).list(stream.id);
      expect(listed.items.map((c) => c.id)).toEqual([seen.made[0]?.id]);
    } finally {
      await publisher.stop();
    }
  });
});
