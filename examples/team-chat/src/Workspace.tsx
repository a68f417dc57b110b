import { useState } from 'react';
import type { Channel, LiveStream, Member } from '../shared/api.js';
import { ChannelStreams } from './ChannelStreams.js';
import { Composer, MessageList } from './Messages.js';
import { type LiveAlert, useLiveAlerts } from './notifications.js';
import { useChannels, useMessages } from './polling.js';
import { Sidebar } from './Sidebar.js';
import { StreamControls } from './StreamControls.js';
import { Studio } from './Studio.js';
import { Watch } from './Watch.js';

/** Props of {@link Workspace}. */
export interface WorkspaceProps {
  member: Member;
  onSignOut: () => void;
  /** The session is over (the API answered 401): back to sign-in. */
  onSessionEnded: () => void;
}

/** "🔴 Mia is live — Watch" over a channel with a live stream (the host sees their own). */
function LiveBanner({
  channel,
  member,
  onWatch,
}: {
  channel: Channel;
  member: Member;
  onWatch: () => void;
}) {
  const { live } = channel;
  if (!live) return null;
  return (
    <p className="live-banner" role="status">
      {live.hostId === member.id ? (
        <>🔴 You are live in {channel.name}</>
      ) : (
        <>
          🔴 {live.hostName} is live —{' '}
          <button type="button" onClick={onWatch}>
            Watch
          </button>
        </>
      )}
    </p>
  );
}

/** The toast of a stream that started in another channel. */
function Toast({
  alert,
  onOpen,
  onDismiss,
}: {
  alert: LiveAlert;
  onOpen: () => void;
  onDismiss: () => void;
}) {
  return (
    <div className="toast" role="status" data-channel-id={alert.channelId}>
      🔴 {alert.hostName} went live in {alert.channelName}{' '}
      <button type="button" onClick={onOpen}>
        Open
      </button>
      <button type="button" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

/**
 * The workspace: channels, the open channel's messages and composer, and
 * beside them the member's studio or the channel's live stream.
 */
export function Workspace({ member, onSignOut, onSessionEnded }: WorkspaceProps) {
  const channels = useChannels(onSessionEnded);
  const [currentId, setCurrentId] = useState('general');
  const [studio, setStudio] = useState<{ channelId: string; streamId: string } | null>(null);
  const [watching, setWatching] = useState<LiveStream | null>(null);
  const { messages, add } = useMessages(currentId, onSessionEnded);
  const alerts = useLiveAlerts(member, channels, currentId);
  const channel = channels.find((c) => c.id === currentId);
  const live = channel?.live ?? null;
  // The watch view stays when the stream it shows ends: the player shows the end, then
  // its replay. Opening another channel closes it.
  const ownStudio = studio?.channelId === currentId ? studio : null;

  const open = (channelId: string) => {
    setCurrentId(channelId);
    setWatching(null);
  };

  if (!channel) return <p className="loading">Loading channels…</p>;
  const media = ownStudio ? (
    <Studio streamId={ownStudio.streamId} onClose={() => setStudio(null)} />
  ) : watching ? (
    <Watch stream={watching} onClose={() => setWatching(null)} />
  ) : null;

  return (
    <div className="workspace">
      <Sidebar
        member={member}
        channels={channels}
        currentId={currentId}
        alerts={alerts.channelIds}
        onOpen={open}
        onSignOut={onSignOut}
      />
      <main className="channel" data-channel-id={channel.id}>
        <header>
          <h2>{channel.name}</h2>
          {ownStudio || live ? null : (
            <StreamControls
              member={member}
              channelId={channel.id}
              onGoLive={(stream) => setStudio({ channelId: channel.id, streamId: stream.streamId })}
            />
          )}
        </header>
        <LiveBanner channel={channel} member={member} onWatch={() => setWatching(live)} />
        <ChannelStreams
          channel={channel}
          member={member}
          onOpenStudio={(stream) => {
            setWatching(null);
            setStudio({ channelId: channel.id, streamId: stream.streamId });
          }}
          onWatch={(stream) => {
            setStudio(null);
            setWatching(stream);
          }}
        />
        <div className={media ? 'body with-media' : 'body'}>
          {media}
          <section className="chat" aria-label={`${channel.name} messages`}>
            <MessageList messages={messages} />
            <Composer channelId={channel.id} channelName={channel.name} onSent={add} />
          </section>
        </div>
      </main>
      {alerts.latest ? (
        <Toast
          alert={alerts.latest}
          onOpen={() => alerts.latest && open(alerts.latest.channelId)}
          onDismiss={alerts.dismiss}
        />
      ) : null}
    </div>
  );
}
