import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { OnAirProvider } from './index.js';
import {
  type UseRaisedHandsResult,
  type UseStageResult,
  useRaisedHands,
  useStage,
} from './stage.js';
import { cleanUpAfterEach, render, signedIn } from './test-support.js';

cleanUpAfterEach();

const seen: { host?: UseStageResult; hands?: UseRaisedHandsResult; guest?: UseStageResult } = {};

/** The broadcaster's side: their own stage and the raised hands. */
function HostPanel({ streamId, userId }: { streamId: string; userId: string }) {
  seen.host = useStage(streamId, { userId });
  seen.hands = useRaisedHands(streamId);
  return <span data-hands={seen.hands.hands.length} />;
}

/** A viewer's side. */
function GuestPanel({ streamId, userId }: { streamId: string; userId: string }) {
  seen.guest = useStage(streamId, { userId });
  return <output data-role={seen.guest.myRole ?? 'none'} />;
}

const handsOf = (result: UseRaisedHandsResult | undefined) => result?.hands.map((h) => h.user.id);

describe('stage hooks', () => {
  it('raise a hand, bring it on stage, mute, dismiss and leave against the real server', async () => {
    const host = await signedIn('Stage host');
    const guest = await signedIn('Stage guest');
    const { stream } = await host.client.streams.create({ title: 'On stage' });
    await host.client.streams.start(stream.id);
    const container = render(
      <>
        <HostPanel streamId={stream.id} userId={host.userId} />
        <OnAirProvider client={guest.client}>
          <GuestPanel streamId={stream.id} userId={guest.userId} />
        </OnAirProvider>
      </>,
      host.client,
    );
    await expect.poll(() => seen.host?.status, { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => seen.guest?.status, { timeout: 10_000 }).toBe('ready');
    expect(seen.host).toMatchObject({ onStage: true, myRole: 'host' });
    expect(seen.guest).toMatchObject({ onStage: false, myRole: null, handRaised: false });

    await act(async () => {
      await seen.guest?.raiseHand();
    });
    await expect.poll(() => seen.guest?.handRaised).toBe(true);
    await expect.poll(() => handsOf(seen.hands)).toEqual([guest.userId]);
    expect(container.querySelector('span')?.dataset.hands).toBe('1');

    await act(async () => {
      await seen.hands?.bringOnStage(guest.userId);
    });
    await expect.poll(() => container.querySelector('output')?.dataset.role).toBe('guest');
    expect(seen.guest).toMatchObject({ onStage: true, handRaised: false });
    await expect.poll(() => handsOf(seen.hands)).toEqual([]);

    await act(async () => {
      await seen.host?.setMuted(guest.userId, true);
    });
    await expect.poll(() => seen.guest?.stage?.members[0]?.mutedByHost).toBe(true);

    await act(async () => {
      await seen.guest?.leave();
    });
    await expect.poll(() => seen.guest?.onStage).toBe(false);
    await expect.poll(() => seen.host?.stage?.members).toEqual([]);

    await act(async () => {
      await seen.guest?.raiseHand();
    });
    await expect.poll(() => handsOf(seen.hands)).toEqual([guest.userId]);
    await act(async () => {
      await seen.hands?.dismiss(guest.userId);
    });
    await expect.poll(() => seen.guest?.handRaised).toBe(false);
    await expect.poll(() => handsOf(seen.hands)).toEqual([]);

    await act(async () => {
      await seen.host?.invite(guest.userId, 'cohost');
    });
    await expect.poll(() => seen.guest?.myRole).toBe('cohost');
    await act(async () => {
      await seen.host?.remove(guest.userId);
    });
    await expect.poll(() => seen.guest?.onStage).toBe(false);
  });

  it('surfaces a refusal as the typed error', async () => {
    const host = await signedIn('Stage owner');
    const viewer = await signedIn('Stage viewer');
    const { stream } = await host.client.streams.create({ title: 'Not yours' });
    await host.client.streams.start(stream.id);
    render(<GuestPanel streamId={stream.id} userId={viewer.userId} />, viewer.client);
    await expect.poll(() => seen.guest?.status, { timeout: 10_000 }).toBe('ready');

    let refused: unknown;
    await act(async () => {
      refused = await seen.guest?.invite(host.userId, 'cohost').catch((error: unknown) => error);
    });
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(seen.guest?.error?.code).toBe('FORBIDDEN');
  });
});
