import { OnAirPlayer, OnAirReactions, OnAirViewerCount } from '@onair/react';
import type { LiveStream } from '../shared/api.js';

/** Props of {@link Watch}. */
export interface WatchProps {
  stream: LiveStream;
  onClose: () => void;
}

/**
 * A channel's stream: the player with reactions over it, and who is
 * watching. It follows the stream through its life: live, then its end, then
 * its replay (a past stream opens on it).
 */
export function Watch({ stream, onClose }: WatchProps) {
  return (
    <section className="media watch" aria-label={`${stream.hostName}'s stream`}>
      <OnAirPlayer streamId={stream.streamId} muted>
        <OnAirReactions slot="overlay" streamId={stream.streamId} />
      </OnAirPlayer>
      <div className="media-bar">
        <strong>{stream.title}</strong>
        <OnAirViewerCount streamId={stream.streamId} />
        <button type="button" onClick={onClose}>
          Stop watching
        </button>
      </div>
    </section>
  );
}
