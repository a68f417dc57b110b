/**
 * `@onair/react/remind-button`: the React wrapper of `<onair-remind-button>`,
 * "Remind me" on a scheduled stream. Its own entry: the hooks of
 * `@onair/react/notifications` (`useReminder` for a button of your own) do
 * not carry it.
 *
 * @example
 * ```tsx
 * import type { Stream } from '@onair/protocol';
 * import { OnAirRemindButton } from '@onair/react/remind-button';
 *
 * const Upcoming = ({ stream }: { stream: Stream }) => (
 *   <OnAirRemindButton stream={stream} onReminderChange={(e) => console.log(e.detail.reminded)} />
 * );
 * ```
 * @packageDocumentation
 */
import type { EventName } from '@lit/react';
import type { OnAirEventMap } from '@onair/elements/components';
import { defineRemindButton, OnAirRemindButtonElement } from '@onair/elements/remind-button';
import { wrap } from './wrap.js';

/**
 * React wrapper of `<onair-remind-button>` ("Remind me": `streamId`, or
 * `stream` to show only while it is scheduled; `onReminderChange`).
 */
export const OnAirRemindButton = /* @__PURE__ */ wrap(
  'OnAirRemindButton',
  'onair-remind-button',
  OnAirRemindButtonElement,
  defineRemindButton,
  {
    onReminderChange: 'onair-reminder-change' as EventName<OnAirEventMap['onair-reminder-change']>,
  },
);
