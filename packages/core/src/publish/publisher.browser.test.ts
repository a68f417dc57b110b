import { afterEach, describe, expect, it } from 'vitest';
import type { OnAirClient } from '../transport/client.js';
import { signedInClient } from '../transport/test-fixtures.js';
import { Publisher } from './publisher.js';

/* The Publisher against the real server (the browser project's proxy) and Chromium's fake camera. */
const open: Array<OnAirClient | Publisher> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.destroy();
});

describe('Publisher', () => {
  it("captures no more than the stream's quality preset, whatever quality is asked for", async () => {
    const client = await signedInClient('Small screen');
    open.push(client);
    const { stream } = await client.streams.create({ title: 'Low-res', qualityPreset: '360p' });
    const publisher = new Publisher(client, { streamId: stream.id });
    open.push(publisher);
    const height = () =>
      publisher.getSnapshot().mediaStream?.getVideoTracks()[0]?.getSettings().height ?? 0;

    await publisher.preview();
    expect(height()).toBeGreaterThan(0);
    expect(height()).toBeLessThanOrEqual(360);
    expect(publisher.getSnapshot()).toMatchObject({ quality: '360p', maxQuality: '360p' });

    await publisher.setQuality('1080p');
    expect(height()).toBeLessThanOrEqual(360);
    expect(publisher.getSnapshot().quality).toBe('360p');
  });
});
