import { act, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import {
  OnAirChat,
  OnAirPlayer,
  OnAirStats,
  OnAirViewerCount,
  usePlayer,
  useStreamChat,
} from './index.js';
import { cleanUpAfterEach, render, signedIn } from './test-support.js';

cleanUpAfterEach();

async function signedInWithStream(name: string) {
  const { client } = await signedIn(name);
  const { stream } = await client.streams.create({ title: 'React test' });
  await client.streams.start(stream.id);
  return { client, streamId: stream.id };
}

function Chat({ streamId }: { streamId: string }) {
  const chat = useStreamChat(streamId);
  useEffect(() => {
    if (chat.status === 'joined' && chat.messages.length === 0) void chat.send('from a hook');
  }, [chat.status, chat.messages.length, chat.send]);
  return (
    <ul data-status={chat.status} data-viewers={chat.viewerCount}>
      {chat.messages.map((m) => (
        <li key={m.id} data-delivery={m.delivery}>
          {m.author.displayName}: {m.text}
        </li>
      ))}
    </ul>
  );
}

function Video() {
  const { ref, state } = usePlayer(null);
  return <video ref={ref} data-status={state.status} muted />;
}

function Orphan() {
  useStreamChat('str_x');
  return null;
}

describe('@onair/react', () => {
  it('useStreamChat joins, sends and renders confirmed messages', async () => {
    const { client, streamId } = await signedInWithStream('Hooked');
    const container = render(<Chat streamId={streamId} />, client);
    await expect
      .poll(() => container.querySelector('li[data-delivery="sent"]')?.textContent, {
        timeout: 10_000,
      })
      .toBe('Hooked: from a hook');
    // The stream's owner is no viewer.
    expect(container.querySelector('ul')?.dataset.viewers).toBe('0');
  });

  it('wraps the elements with typed props and event callbacks', async () => {
    const { client, streamId } = await signedInWithStream('Wrapper');
    const statuses: string[] = [];
    const container = render(
      <>
        <OnAirChat client={client} streamId={streamId} readonly />
        <OnAirPlayer
          src={`${location.origin}/hls/missing/master.m3u8`}
          muted
          onStatusChange={(e) => statuses.push(e.detail.status)}
        />
      </>,
    );
    const chat = container.querySelector('onair-chat');
    expect(chat?.client).toBe(client);
    await expect.poll(() => chat?.dataset.status, { timeout: 10_000 }).toBe('joined');
    await expect.poll(() => statuses).toContain('loading');
  });

  it('components take the client from OnAirProvider; their own client prop wins', async () => {
    const { client, streamId } = await signedInWithStream('Provided');
    const { client: other } = await signedIn('Own client');
    const container = render(
      <>
        <OnAirChat streamId={streamId} readonly />
        <OnAirViewerCount client={other} streamId={streamId} />
      </>,
      client,
    );
    const chat = container.querySelector('onair-chat');
    expect(chat?.client).toBe(client);
    expect(container.querySelector('onair-viewer-count')?.client).toBe(other);
    await expect.poll(() => chat?.dataset.status, { timeout: 10_000 }).toBe('joined');
  });

  it('registers an element when its wrapper first renders, not when the module loads', () => {
    expect(customElements.get('onair-stats')).toBeUndefined();
    const container = render(<OnAirStats />);
    expect(customElements.get('onair-stats')).toBeDefined();
    expect(container.querySelector('onair-stats')).toBeInstanceOf(
      customElements.get('onair-stats'),
    );
  });

  it('usePlayer reports idle without a source and throws a clear error outside the provider', () => {
    const container = render(<Video />);
    expect(container.querySelector('video')?.dataset.status).toBe('idle');
    const orphanRoot = createRoot(document.createElement('div'));
    expect(() => act(() => orphanRoot.render(<Orphan />))).toThrow(/inside <OnAirProvider>/);
    act(() => orphanRoot.unmount());
  });
});
