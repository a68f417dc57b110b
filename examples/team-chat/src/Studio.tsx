import { OnAirBroadcaster, OnAirViewerCount, useStreamReactions } from '@onair/react';

/** Props of {@link Studio}. */
export interface StudioProps {
  streamId: string;
  onClose: () => void;
}

/** How many reactions the stream got since the studio opened. */
function ReactionCount({ streamId }: { streamId: string }) {
  const { totals } = useStreamReactions(streamId);
  const count = Object.values(totals).reduce((sum, n) => sum + n, 0);
  const emoji = Object.keys(totals).join(' ');
  return (
    <p className="reaction-count" data-count={count}>
      {count} {count === 1 ? 'reaction' : 'reactions'} {emoji}
    </p>
  );
}

/** The member's studio for a channel's stream: camera preview, go live, end. */
export function Studio({ streamId, onClose }: StudioProps) {
  return (
    <section className="media studio" aria-label="Your studio">
      <OnAirBroadcaster streamId={streamId} />
      <div className="media-bar">
        <OnAirViewerCount streamId={streamId} />
        <ReactionCount streamId={streamId} />
        <button type="button" onClick={onClose}>
          Close studio
        </button>
      </div>
    </section>
  );
}
