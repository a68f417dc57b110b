import type { Channel, Member } from '../shared/api.js';

/** Props of {@link Sidebar}. */
export interface SidebarProps {
  member: Member;
  channels: Channel[];
  currentId: string;
  /** Channels where a stream started while the member was elsewhere. */
  alerts: ReadonlySet<string>;
  onOpen: (channelId: string) => void;
  onSignOut: () => void;
}

/** The channel list, with a live badge on channels that went live elsewhere. */
export function Sidebar({ member, channels, currentId, alerts, onOpen, onSignOut }: SidebarProps) {
  return (
    <nav className="sidebar" aria-label="Channels">
      <h1>Team chat</h1>
      <ul>
        {channels.map((channel) => (
          <li key={channel.id} data-channel-id={channel.id}>
            <button
              type="button"
              aria-current={channel.id === currentId ? 'page' : undefined}
              data-live={channel.live ? '' : undefined}
              data-alert={alerts.has(channel.id) ? '' : undefined}
              onClick={() => onOpen(channel.id)}
            >
              {channel.name}
              {channel.live ? <span className="live-dot" title="Live now" /> : null}
              {alerts.has(channel.id) ? <span className="badge">LIVE</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <footer>
        <span id="account">{member.name}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </footer>
    </nav>
  );
}
