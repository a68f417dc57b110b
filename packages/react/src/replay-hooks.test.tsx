import type { Chapter } from '@onair/protocol';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { OnAirChapterButton, OnAirChatReplay, type UseReplayResult, useReplay } from './replay.js';
import { cleanUpAfterEach, render, rerender, signedIn } from './test-support.js';

cleanUpAfterEach();

const seen: { replay?: UseReplayResult } = {};

function Replay({ streamId, media }: { streamId: string; media: HTMLMediaElement | null }) {
  seen.replay = useReplay(streamId, media);
  return <span data-status={seen.replay.status} />;
}

describe('replay hooks', () => {
  it('useReplay follows a media element, seeks, and says a stream without a recording has none', async () => {
    const host = await signedIn('Replay hooks host');
    const { stream } = await host.client.streams.create({ title: 'Not recorded' });
    await host.client.streams.start(stream.id);
    await host.client.streams.end(stream.id);
    const video = document.createElement('video');
    const container = render(
      <>
        <Replay streamId={stream.id} media={null} />
        <OnAirChatReplay streamId={stream.id} />
      </>,
      host.client,
    );
    // The store's answers (windows, chapters) re-render the hook: inside act, as a user sees them.
    const before = seen.replay?.chapters;
    await act(async () => {
      await expect.poll(() => seen.replay?.status, { timeout: 10_000 }).toBe('error');
      await expect.poll(() => seen.replay?.chapters).not.toBe(before);
    });
    expect(seen.replay?.error?.code).toBe('STREAM_NOT_LIVE');
    expect(seen.replay?.messages).toEqual([]);
    const element = container.querySelector('onair-chat-replay') as HTMLElement;
    await expect
      .poll(() => element.shadowRoot?.querySelector('[part="error"]')?.textContent)
      .toBe('This stream has no recording');

    // With a media element: `seek` moves it, the store follows it.
    rerender(<Replay streamId={stream.id} media={video} />, host.client);
    act(() => seen.replay?.seek(42));
    expect(video.currentTime).toBe(42);
    expect(seen.replay?.store.getSnapshot().time).toBe(42);
    video.currentTime = 75;
    video.dispatchEvent(new Event('seeked'));
    expect(seen.replay?.store.getSnapshot().time).toBe(75);

    // Without one, `seek` moves the store alone; the media is no longer followed.
    rerender(<Replay streamId={stream.id} media={null} />, host.client);
    act(() => seen.replay?.seek(12));
    expect(seen.replay?.store.getSnapshot().time).toBe(12);
    expect(video.currentTime).toBe(75);
    video.dispatchEvent(new Event('seeked'));
    expect(seen.replay?.store.getSnapshot().time).toBe(12);
  });

  it('OnAirChapterButton sets a chapter on a live stream', async () => {
    const host = await signedIn('Chapter hooks host');
    const { stream } = await host.client.streams.create({ title: 'Live with chapters' });
    await host.client.streams.start(stream.id);
    const created: Chapter[] = [];
    const container = render(
      <OnAirChapterButton
        streamId={stream.id}
        onChapterCreated={(event) => created.push(event.detail.chapter)}
      />,
      host.client,
    );
    const root = () =>
      (container.querySelector('onair-chapter-button') as HTMLElement).shadowRoot as ShadowRoot;
    await expect.poll(() => root().querySelector('[part="button"]')).toBeTruthy();
    (root().querySelector('[part="button"]') as HTMLButtonElement).click();
    await expect.poll(() => root().querySelector('input')).toBeTruthy();
    (root().querySelector('input') as HTMLInputElement).value = 'Intro';
    (root().querySelector('form') as HTMLFormElement).requestSubmit();
    await expect.poll(() => created.map((c) => c.title)).toEqual(['Intro']);
    // Nothing recorded on this stream: the chapter has no place in a recording.
    expect(created[0]?.offsetSeconds).toBeNull();
    await host.client.streams.end(stream.id);
  });
});
