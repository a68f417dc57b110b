import { OnAirRemindButton } from '@onair/react/remind-button';
import type { Channel, LiveStream, Member } from '../shared/api.js';

/** Props of {@link ChannelStreams}. */
export interface ChannelStreamsProps {
  channel: Channel;
  member: Member;
  /** The member opens the studio for one of their scheduled streams. */
  onOpenStudio: (stream: LiveStream) => void;
  /** The member watches a past stream's replay. */
  onWatch: (stream: LiveStream) => void;
}

/** A stream's time, short, in the member's locale ("Tue 14:30"). */
const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * A channel's other streams: those scheduled (the host opens their studio
 * for it and goes live whenever they are ready; the others ask to be
 * reminded) and those that ended, with their replays.
 */
export function ChannelStreams({ channel, member, onOpenStudio, onWatch }: ChannelStreamsProps) {
  const { upcoming, past } = channel;
  if (upcoming.length === 0 && past.length === 0) return null;
  return (
    <div className="channel-streams">
      {upcoming.length > 0 ? (
        <section aria-label="Scheduled streams">
          <h3>Scheduled</h3>
          <ul>
            {upcoming.map((stream) => (
              <li key={stream.streamId} data-stream-id={stream.streamId}>
                <span>
                  📅 <strong>{stream.title}</strong> · {stream.hostName} ·{' '}
                  <time dateTime={stream.scheduledAt}>{when(stream.scheduledAt)}</time>
                </span>
                {stream.hostId === member.id ? (
                  <button type="button" onClick={() => onOpenStudio(stream)}>
                    Open studio
                  </button>
                ) : (
                  <OnAirRemindButton streamId={stream.streamId} />
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {past.length > 0 ? (
        <section aria-label="Past streams">
          <h3>Past streams</h3>
          <ul>
            {past.map((stream) => (
              <li key={stream.streamId} data-stream-id={stream.streamId}>
                <span>
                  <strong>{stream.title}</strong> · {stream.hostName} ·{' '}
                  <time dateTime={stream.endedAt}>{when(stream.endedAt)}</time>
                </span>
                {stream.recorded ? (
                  <button
                    type="button"
                    aria-label={`Watch the replay of ${stream.title}`}
                    onClick={() => onWatch(stream)}
                  >
                    ▶ Replay
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
