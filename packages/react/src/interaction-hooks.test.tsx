import { act } from 'react';
import { describe, expect, it } from 'vitest';
import {
  type Moderation,
  OnAirPoll,
  OnAirQna,
  OnAirReactions,
  OnAirViewerCount,
  type StreamPoll,
  type StreamQuestions,
  type StreamReactions,
  type StreamViewers,
  useModeration,
  usePoll,
  useQuestions,
  useStreamReactions,
  useViewerCount,
} from './index.js';
import { cleanUpAfterEach, render, signedIn } from './test-support.js';

cleanUpAfterEach();

const seen: {
  reactions?: StreamReactions;
  questions?: StreamQuestions;
  poll?: StreamPoll;
  viewers?: StreamViewers;
  moderation?: Moderation;
} = {};

/** Renders every interaction hook and exposes the latest results in `seen`. */
function Panel({ streamId }: { streamId: string }) {
  seen.reactions = useStreamReactions(streamId);
  seen.questions = useQuestions(streamId);
  seen.poll = usePoll(streamId);
  seen.viewers = useViewerCount(streamId);
  seen.moderation = useModeration(streamId);
  return <span data-count={seen.viewers.count} />;
}

describe('interaction hooks', () => {
  it('drive reactions, Q&A, polls, presence and moderation against the real server', async () => {
    const { client } = await signedIn('Hook host');
    const { stream } = await client.streams.create({ title: 'Hooks', qnaEnabled: true });
    await client.streams.start(stream.id);
    const container = render(<Panel streamId={stream.id} />, client);
    // The host broadcasts: it is no viewer.
    await expect
      .poll(() => container.querySelector('span')?.dataset.count, { timeout: 10_000 })
      .toBe('0');
    await expect.poll(() => seen.questions?.status).toBe('ready');

    await act(async () => {
      await seen.questions?.ask('From a hook?');
    });
    await expect.poll(() => seen.questions?.questions.map((q) => q.text)).toEqual(['From a hook?']);
    const asked = seen.questions?.questions[0]?.id as string;
    await act(async () => {
      await seen.questions?.setAnswering(asked);
    });
    await expect.poll(() => seen.questions?.answering?.id).toBe(asked);
    await act(async () => {
      await seen.questions?.answer(asked, true, 'Yes, from a hook.');
    });
    await expect.poll(() => seen.questions?.answering).toBeNull();
    expect(seen.questions?.questions[0]?.answer?.text).toBe('Yes, from a hook.');

    let pollId = '';
    await act(async () => {
      pollId = (await seen.poll?.create('Hooks or classes?', ['Hooks', 'Classes']))?.id ?? '';
      await seen.poll?.vote(pollId, 0);
    });
    expect(seen.poll?.current?.totalVotes).toBe(1);
    expect(seen.poll?.myVotes[pollId]).toBe(0);

    await act(async () => {
      await seen.reactions?.send('🔥');
    });
    await expect.poll(() => seen.reactions?.totals['🔥']).toBe(1);

    let notice = '';
    await act(async () => {
      notice = (await seen.moderation?.command('/emoteonly'))?.notice ?? '';
    });
    expect(notice).toBe('Emote-only mode on');
    await act(async () => {
      await seen.moderation?.command('/nope').catch(() => undefined);
    });
    expect(seen.moderation?.error?.code).toBe('VALIDATION_FAILED');
  });

  it('wraps the new elements', async () => {
    const { client } = await signedIn('Wrapper host');
    const { stream } = await client.streams.create({ title: 'Wrapped', qnaEnabled: true });
    await client.streams.start(stream.id);
    const container = render(
      <>
        <OnAirReactions client={client} streamId={stream.id} />
        <OnAirQna client={client} streamId={stream.id} canModerate />
        <OnAirPoll client={client} streamId={stream.id} canModerate />
        <OnAirViewerCount client={client} streamId={stream.id} showPeak />
      </>,
    );
    const count = () => container.querySelector('onair-viewer-count') as HTMLElement;
    await expect.poll(() => count().dataset.count, { timeout: 10_000 }).toBe('0');
    expect(
      (container.querySelector('onair-qna') as HTMLElement & { canModerate: boolean }).canModerate,
    ).toBe(true);
    await expect
      .poll(() => (container.querySelector('onair-poll') as HTMLElement).dataset.poll)
      .toBe('none');
  });
});
