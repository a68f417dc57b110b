import { describe, expect, it } from 'vitest';
import { useStreamViewer } from './index.js';
import { cleanUpAfterEach, render, signedIn } from './test-support.js';

cleanUpAfterEach();

function Watch({ streamId }: { streamId: string }) {
  const { ref, session, state } = useStreamViewer(streamId);
  return (
    <section data-phase={session.phase} data-status={state.status}>
      {session.phase === 'ended' ? <p>This stream has ended.</p> : null}
      <video ref={ref} muted />
    </section>
  );
}

describe('useStreamViewer', () => {
  it('follows a stream from scheduled to live to ended, with the client from the provider', async () => {
    const { client: host } = await signedIn('Hook lifecycle host');
    const { stream } = await host.streams.create({ title: 'Lifecycle' });
    const { client } = await signedIn('Hook lifecycle viewer');
    const container = render(<Watch streamId={stream.id} />, client);
    const section = () => container.querySelector('section') as HTMLElement;
    await expect.poll(() => section().dataset.phase).toBe('scheduled');

    await host.streams.start(stream.id);
    await expect.poll(() => section().dataset.phase).toBe('live');
    // Nothing is published: the player waits for the HLS output.
    await expect.poll(() => section().dataset.status).toBe('loading');

    await host.streams.end(stream.id);
    await expect.poll(() => section().dataset.phase, { timeout: 2000 }).toBe('ended');
    // Playback stopped: the video holds no source any more.
    expect(section().dataset.status).toBe('idle');
    expect(container.querySelector('video')?.getAttribute('src')).toBe(null);
    expect(container.textContent).toBe('This stream has ended.');
  });
});
