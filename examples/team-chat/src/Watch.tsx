import { OnAirPlayer, OnAirReactions, OnAirViewerCount } from '@onair/react';
import type { LiveStream } from '../shared/api.js';

/** Props of {@link Watch}. */
export interface WatchProps {
  live: LiveStream;
  onClose: () => void;
}

/** A channel's live stream: the player with reactions over it, and who is watching. */
export function Watch({ live, onClose }: WatchProps) {
  return (
    <section className="media watch" aria-label={`${live.hostName}'s live stream`}>
      <OnAirPlayer streamId={live.streamId} muted>
        <OnAirReactions slot="overlay" streamId={live.streamId} />
      </OnAirPlayer>
      <div className="media-bar">
        <strong>{live.title}</strong>
        <OnAirViewerCount streamId={live.streamId} />
        <button type="button" onClick={onClose}>
          Stop watching
        </button>
      </div>
    </section>
  );
}
