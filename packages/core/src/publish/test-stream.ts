import type { QualityPreset } from '@onair/protocol';
import type { OnAirClient } from '../transport/client.js';
import { signedInClient } from '../transport/test-fixtures.js';
import { Publisher } from './publisher.js';

/**
 * Test-only (browser): a live stream on the browser project's real server,
 * published from Chromium's fake camera, once its master playlist answers
 * (within a minute). `cleanups` gets the publisher's end and the stream's.
 */
export async function publishedStream(
  title: string,
  cleanups: Array<() => unknown>,
  quality: QualityPreset = '360p',
): Promise<{ host: OnAirClient; streamId: string; master: string }> {
  const host = await signedInClient(`${title} host`, { analytics: { enabled: false } });
  const { stream } = await host.streams.create({ title });
  await host.streams.start(stream.id);
  const publisher = new Publisher(host, { streamId: stream.id, quality });
  cleanups.push(
    () => host.streams.end(stream.id),
    () => publisher.destroy(),
  );
  await publisher.publish();
  const master = `${location.origin}/hls/${stream.id}/master.m3u8`;
  const deadline = Date.now() + 60_000;
  while ((await fetch(master)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${master} did not answer within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { host, streamId: stream.id, master };
}
