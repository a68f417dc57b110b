import type { ChannelStore } from './channels.js';
import { liveStreamsOf } from './onair-api.js';

/** How often the backend asks OnAir what is live, ms. */
export const WATCH_INTERVAL_MS = 1500;

/**
 * Follows what is live in each channel by polling OnAir
 * (`GET /v1/streams?externalId=<channel>&status=live`): when a stream goes
 * live or ends, the channel's `live` changes and a system message says so.
 * Returns a function that stops it.
 */
export function watchLiveStreams(channels: ChannelStore, onairUrl: () => string | undefined) {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const checkChannel = async (url: string, channelId: string) => {
    const [stream] = await liveStreamsOf(url, channelId);
    const before = channels.live(channelId);
    if (stream?.id === before?.streamId) return;
    if (before) channels.post(channelId, null, `${before.hostName}'s live stream ended`);
    if (stream) {
      const live = {
        streamId: stream.id,
        title: stream.title,
        hostId: stream.owner.id,
        hostName: stream.owner.displayName,
      };
      channels.post(channelId, null, `🔴 ${live.hostName} is live: ${live.title}`);
      channels.setLive(channelId, live);
    } else {
      channels.setLive(channelId, null);
    }
  };

  const tick = async () => {
    const url = onairUrl();
    if (url) {
      const results = await Promise.allSettled(
        channels.ids().map((channelId) => checkChannel(url, channelId)),
      );
      for (const result of results) {
        // The message only: OnAir down is logged, and the next round tries again.
        if (result.status === 'rejected' && !stopped) {
          const reason: unknown = result.reason;
          process.stderr.write(
            `team-chat: live check failed: ${reason instanceof Error ? reason.message : String(reason)}\n`,
          );
        }
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), WATCH_INTERVAL_MS);
  };

  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
