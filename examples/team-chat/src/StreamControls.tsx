import { type FormEvent, useState } from 'react';
import type { CreatedChannelStream, Member } from '../shared/api.js';
import { api } from './api.js';
import { ErrorBanner } from './errors.js';

/** Props of {@link StreamControls}. */
export interface StreamControlsProps {
  member: Member;
  channelId: string;
  /** A stream was created to go live now: open the member's studio for it. */
  onGoLive: (stream: CreatedChannelStream) => void;
}

/** "Go live" (opens the studio) and "Schedule" (a stream at a later time) in a channel. */
export function StreamControls({ member, channelId, onGoLive }: StreamControlsProps) {
  const [title, setTitle] = useState(`${member.name}'s live stream`);
  const [startAt, setStartAt] = useState('');
  const [scheduled, setScheduled] = useState<CreatedChannelStream | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const create = async (scheduledAt: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const stream = await api.createStream(channelId, title, scheduledAt);
      if (scheduledAt === null) onGoLive(stream);
      else setScheduled(stream);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const schedule = (event: FormEvent) => {
    event.preventDefault();
    if (startAt !== '') void create(new Date(startAt).toISOString());
  };

  return (
    <form className="stream-controls" onSubmit={schedule}>
      <input aria-label="Stream title" value={title} onChange={(e) => setTitle(e.target.value)} />
      <button type="button" disabled={busy} onClick={() => void create(null)}>
        Go live
      </button>
      <input
        type="datetime-local"
        aria-label="Start at"
        value={startAt}
        onChange={(e) => setStartAt(e.target.value)}
      />
      <button type="submit" disabled={busy || startAt === ''}>
        Schedule
      </button>
      {scheduled?.scheduledAt ? (
        <span role="status">Scheduled for {new Date(scheduled.scheduledAt).toLocaleString()}</span>
      ) : null}
      <ErrorBanner error={error} />
    </form>
  );
}
