import { useEffect, useRef, useState } from 'react';
import type { Channel, Member } from '../shared/api.js';

/** A stream that started in a channel the member was not looking at. */
export interface LiveAlert {
  channelId: string;
  channelName: string;
  hostName: string;
}

/** What {@link useLiveAlerts} returns. */
export interface LiveAlerts {
  /** Channels with a stream the member has not seen yet (sidebar badges). */
  channelIds: ReadonlySet<string>;
  /** The latest alert, for the toast (null once dismissed). */
  latest: LiveAlert | null;
  dismiss(): void;
}

/**
 * Notices streams that start in other channels than the one open (by the
 * channels' polled state): a badge per channel until it is opened, and a toast.
 * The member's own streams and streams live before the page opened do not notify.
 */
export function useLiveAlerts(member: Member, channels: Channel[], currentId: string): LiveAlerts {
  const seen = useRef<Map<string, string | null> | null>(null);
  const [channelIds, setChannelIds] = useState<ReadonlySet<string>>(new Set());
  const [latest, setLatest] = useState<LiveAlert | null>(null);

  useEffect(() => {
    if (channels.length === 0) return;
    const before = seen.current;
    seen.current = new Map(channels.map((channel) => [channel.id, channel.live?.streamId ?? null]));
    if (!before) return;
    for (const channel of channels) {
      const { live } = channel;
      const started = live && before.get(channel.id) !== live.streamId;
      if (!started || live.hostId === member.id || channel.id === currentId) continue;
      setChannelIds((ids) => new Set([...ids, channel.id]));
      setLatest({ channelId: channel.id, channelName: channel.name, hostName: live.hostName });
    }
  }, [channels, currentId, member.id]);

  // Opening a channel clears its badge (and its toast).
  useEffect(() => {
    setChannelIds((ids) => {
      if (!ids.has(currentId)) return ids;
      const rest = new Set(ids);
      rest.delete(currentId);
      return rest;
    });
    setLatest((alert) => (alert?.channelId === currentId ? null : alert));
  }, [currentId]);

  return { channelIds, latest, dismiss: () => setLatest(null) };
}
