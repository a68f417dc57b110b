import { OnAirClient } from '@onair/core';
import { DevTokenResponseSchema } from '@onair/protocol';
import { act, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { OnAirChat, OnAirPlayer, OnAirProvider, usePlayer, useStreamChat } from './index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = '';
});

async function signedIn(name: string) {
  const response = await fetch(`${location.origin}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: name }),
  });
  const { token } = DevTokenResponseSchema.parse(await response.json());
  const client = new OnAirClient({ baseUrl: location.origin, token });
  const { stream } = await client.streams.create({ title: 'React test' });
  await client.streams.start(stream.id);
  return { client, streamId: stream.id };
}

function render(node: React.ReactNode) {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root?.render(node));
  return container;
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
    const { client, streamId } = await signedIn('Hooked');
    const container = render(
      <OnAirProvider client={client}>
        <Chat streamId={streamId} />
      </OnAirProvider>,
    );
    await expect
      .poll(() => container.querySelector('li[data-delivery="sent"]')?.textContent, {
        timeout: 10_000,
      })
      .toBe('Hooked: from a hook');
    expect(container.querySelector('ul')?.dataset.viewers).toBe('1');
  });

  it('wraps the elements with typed props and event callbacks', async () => {
    const { client, streamId } = await signedIn('Wrapper');
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

  it('usePlayer reports idle without a source and throws a clear error outside the provider', () => {
    const container = render(<Video />);
    expect(container.querySelector('video')?.dataset.status).toBe('idle');
    const orphanRoot = createRoot(document.createElement('div'));
    expect(() => act(() => orphanRoot.render(<Orphan />))).toThrow(/inside <OnAirProvider>/);
    act(() => orphanRoot.unmount());
  });
});
