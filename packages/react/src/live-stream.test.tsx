import { useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { useLiveStream, useMediaDevices, useStreamViewer } from './index.js';
import { cleanUpAfterEach, render, signedIn } from './test-support.js';

cleanUpAfterEach();

function Studio({ streamId }: { streamId: string }) {
  const live = useLiveStream(streamId, { quality: '480p' });
  const devices = useMediaDevices();
  const { status } = live.state;
  // Labels show once the page may use the camera: list again when capture starts.
  useEffect(() => {
    if (live.state.mediaStream) void devices.refresh();
  }, [live.state.mediaStream, devices.refresh]);
  return (
    <section data-status={status} data-cameras={devices.cameras.filter((c) => c.label).length}>
      <video ref={live.previewRef} muted />
      <button type="button" onClick={() => void live.goLive()}>
        Go live
      </button>
      <button type="button" onClick={() => live.setAudioMuted(!live.state.audioMuted)}>
        {live.state.audioMuted ? 'Unmute' : 'Mute'}
      </button>
    </section>
  );
}

function Viewer({ streamId }: { streamId: string }) {
  const { ref, state } = useStreamViewer(streamId, { realtime: true });
  return <video ref={ref} data-status={state.status} data-mode={state.mode ?? ''} muted />;
}

describe('media hooks', () => {
  it('useLiveStream goes live with a preview, useMediaDevices lists cameras, useStreamViewer watches in real time', async () => {
    const { client } = await signedIn('Hook host');
    const { stream } = await client.streams.create({ title: 'Hooks' });
    const host = render(<Studio streamId={stream.id} />, client);
    const button = (name: string) =>
      [...host.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;
    button('Go live').click();
    await expect
      .poll(() => host.querySelector('section')?.dataset.status, { timeout: 20_000 })
      .toBe('live');
    expect((host.querySelector('video') as HTMLVideoElement).srcObject).toBeInstanceOf(MediaStream);
    await expect.poll(() => host.querySelector('section')?.dataset.cameras).toBe('3');
    button('Mute').click();
    await expect.poll(() => button('Unmute')).toBeDefined();

    const viewer = render(<Viewer streamId={stream.id} />, client);
    const video = viewer.querySelector('video') as HTMLVideoElement;
    await expect.poll(() => video.videoWidth, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(video.dataset.mode).toBe('realtime');
    // React renders the state after the video knows its size: a busy machine shows the gap.
    await expect.poll(() => video.dataset.status).toBe('playing');
    expect(video.videoHeight).toBe(480);
  });
});
