import { act } from 'react';
import { describe, expect, it } from 'vitest';
import {
  OnAirFollowButton,
  OnAirNotifications,
  type UseNotificationsResult,
  type UseNotifyLevelResult,
  type UseReminderResult,
  useNotifications,
  useNotifyLevel,
  useReminder,
} from './notifications.js';
import { OnAirRemindButton } from './remind-button.js';
import { cleanUpAfterEach, render, signedIn } from './test-support.js';

cleanUpAfterEach();

const seen: {
  inbox?: UseNotificationsResult;
  reminder?: UseReminderResult;
  level?: UseNotifyLevelResult;
} = {};

function Panel({ streamId, channelId }: { streamId: string; channelId: string }) {
  seen.inbox = useNotifications();
  seen.reminder = useReminder(streamId);
  seen.level = useNotifyLevel(channelId);
  return <span data-unread={seen.inbox.unread} />;
}

describe('notification hooks', () => {
  it('remind me, a follower’s level and the inbox against the real server', async () => {
    const host = await signedIn('Hooks channel');
    const fan = await signedIn('Hooks fan');
    const { stream } = await host.client.streams.create({
      title: 'Soon on air',
      scheduledAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
    });
    await fan.client.channels.setFollowing(host.userId, true);
    const reminderChanges: boolean[] = [];
    const container = render(
      <>
        <Panel streamId={stream.id} channelId={host.userId} />
        <OnAirNotifications />
        <OnAirFollowButton channelId={host.userId} />
        <OnAirRemindButton
          stream={stream}
          onReminderChange={(event) => reminderChanges.push(event.detail.reminded)}
        />
      </>,
      fan.client,
    );
    await expect.poll(() => seen.inbox?.status, { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => seen.reminder?.reminded).toBe(false);
    await expect.poll(() => seen.level?.level).toBe('live');
    const remindButton = () =>
      container
        .querySelector('onair-remind-button')
        ?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]');
    await expect.poll(() => remindButton()?.getAttribute('aria-pressed')).toBe('false');
    remindButton()?.click();
    await expect.poll(() => reminderChanges).toEqual([true]);
    expect(remindButton()?.getAttribute('aria-pressed')).toBe('true');

    await act(async () => {
      await seen.reminder?.setReminded(true);
      await seen.level?.setLevel('none');
    });
    expect(seen.reminder?.reminded).toBe(true);
    expect(seen.level?.level).toBe('none');

    // Level "none": the go-live reaches the fan as one who asked to be reminded.
    await host.client.streams.start(stream.id);
    await expect
      .poll(() => container.querySelector('span')?.dataset.unread, { timeout: 10_000 })
      .toBe('1');
    expect(seen.inbox?.items[0]).toMatchObject({ kind: 'live', stream: { id: stream.id } });
    await expect
      .poll(() => (container.querySelector('onair-notifications') as HTMLElement).dataset.unread)
      .toBe('1');
    await act(async () => {
      await seen.inbox?.markRead();
    });
    expect(seen.inbox?.unread).toBe(0);
    const followButton = container.querySelector('onair-follow-button') as HTMLElement;
    await expect
      .poll(() => followButton.shadowRoot?.querySelector('[part="button"]')?.textContent)
      .toBe('Following · 1');
  });
});
