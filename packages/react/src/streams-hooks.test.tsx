import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { useCreateStream, useFollow, useStream, useStreamActions, useStreams } from './index.js';
import { cleanUpAfterEach, render, rerender, signedIn } from './test-support.js';

cleanUpAfterEach();

const category = `react${Date.now()}`;
let actions: ReturnType<typeof useStreamActions> | undefined;
let creator: ReturnType<typeof useCreateStream> | undefined;

function Studio({ streamId }: { streamId: string }) {
  actions = useStreamActions(streamId);
  const { data } = useStream(streamId);
  const { streams } = useStreams({ category });
  return (
    <div>
      <h1 data-status={data?.status}>{data?.title}</h1>
      <ul>
        {streams.map((s) => (
          <li key={s.id}>{s.title}</li>
        ))}
      </ul>
    </div>
  );
}

function Creator() {
  creator = useCreateStream();
  return <p data-pending={String(creator.pending)}>{creator.error?.code ?? 'ok'}</p>;
}

function FollowButton({ channelId }: { channelId: string }) {
  const { following, followerCount, toggle } = useFollow(channelId);
  return (
    <button type="button" data-following={String(following)} onClick={() => void toggle()}>
      {followerCount}
    </button>
  );
}

describe('stream and channel hooks', () => {
  it('creates, edits optimistically, goes live and shows up in useStreams', async () => {
    const { client: onair } = await signedIn('React host');
    const container = render(<Creator />, onair);
    const created = await act(
      () =>
        creator?.create({ title: 'From React', category }) as Promise<{ stream: { id: string } }>,
    );
    expect(container.querySelector('p')?.textContent).toBe('ok');
    rerender(<Studio streamId={created.stream.id} />, onair);
    await expect.poll(() => container.querySelector('h1')?.textContent).toBe('From React');
    await act(async () => {
      await actions?.update({ title: 'Renamed in React' });
    });
    expect(container.querySelector('h1')?.textContent).toBe('Renamed in React');
    await act(async () => {
      await actions?.start();
    });
    await expect.poll(() => container.querySelector('h1')?.dataset.status).toBe('live');
    await expect
      .poll(() => [...container.querySelectorAll('li')].map((li) => li.textContent), {
        timeout: 10_000,
      })
      .toEqual(['Renamed in React']);
  });

  it('reports refused actions as typed errors', async () => {
    const { client: onair } = await signedIn('Nobody');
    const container = render(<Creator />, onair);
    await act(async () => {
      await creator?.create({ title: '' }).catch(() => undefined);
    });
    expect(container.querySelector('p')?.textContent).toBe('VALIDATION_FAILED');
  });

  it('follows and unfollows a channel', async () => {
    const host = await signedIn('Followed');
    const fan = await signedIn('Fan');
    await host.client.streams.create({ title: 'makes the channel' });
    const container = render(<FollowButton channelId={host.userId} />, fan.client);
    const button = () => container.querySelector('button') as HTMLButtonElement;
    await expect.poll(() => button().dataset.following).toBe('false');
    await act(async () => button().click());
    await expect
      .poll(() => [button().dataset.following, button().textContent])
      .toEqual(['true', '1']);
    await act(async () => button().click());
    await expect
      .poll(() => [button().dataset.following, button().textContent])
      .toEqual(['false', '0']);
  });
});
