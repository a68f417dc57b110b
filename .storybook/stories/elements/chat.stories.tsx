import '@onair/elements/chat-replay';
import '@onair/elements/translations/es';
import type { ChatEntry } from '@onair/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockChatStore, mockClient, mockMessages, picture } from '../mocks.js';
import { replayHandlers, StoryMedia } from '../replay-mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-chat',
  component: WebComponent,
  args: { tag: 'onair-chat' },
  decorators: [
    (Story) => <div style={{ maxWidth: 360, height: 480, display: 'grid' }}>{Story()}</div>,
  ],
  tags: ['autodocs'],
  parameters: elementDocs('onair-chat'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** A quiet room. Sending works against an in-memory store. */
export const Empty: Story = {
  args: { properties: { store: new MockChatStore({ viewerCount: 3 }) } },
};

/**
 * A busy room: 10,000 messages in history and 5 new ones a second (for a
 * minute), 1,284 viewers. Only the rows in view are rendered; scroll up and
 * "Jump to latest" appears.
 */
export const Busy: Story = {
  args: {
    attributes: { 'viewer-name': 'Ada' },
    properties: {
      // A data URL keeps the story offline; real emotes are http(s) URLs from the channel.
      emotes: [
        {
          code: 'wave',
          url: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="#5b3cc4"/><text x="12" y="17" font-size="13" text-anchor="middle" fill="#fff">hi</text></svg>')}`,
        },
      ],
    },
  },
  render: (args) => {
    const store = new MockChatStore({ viewerCount: 1284, messages: mockMessages(10_000) });
    store.stream(300, 200);
    return <WebComponent {...args} properties={{ ...args.properties, store }} />;
  },
};

/** Every send fails with RATE_LIMITED: the message is marked, the error shown and a countdown runs. */
export const SendFails: Story = {
  args: {
    properties: {
      store: new MockChatStore({ viewerCount: 12, messages: mockMessages(4) }, 'RATE_LIMITED'),
    },
  },
};

/**
 * What the channel's owner and moderators see: a menu on every message (pin,
 * delete, time out, ban), a pinned banner, and commands such as `/slow 30`.
 */
export const ModeratorView: Story = {
  args: {
    attributes: { 'can-moderate': '' },
    properties: {
      store: new MockChatStore({
        viewerCount: 512,
        messages: mockMessages(12),
        pinned: mockMessages(2)[1] ?? null,
        hasOlder: true,
      }),
    },
  },
};

/** Read-only, in Spanish. */
export const ReadOnlySpanish: Story = {
  args: {
    lang: 'es',
    attributes: { readonly: '' },
    properties: { store: new MockChatStore({ viewerCount: 8, messages: mockMessages(6) }) },
  },
};

const said = (
  n: number,
  author: ChatEntry['author'],
  text: string,
  minutesAgo: number,
): ChatEntry => ({
  id: `msg_talk_${n}`,
  streamId: 'str_story',
  author,
  text,
  createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  delivery: 'sent',
});
const grace = {
  id: 'usr_grace',
  displayName: 'Grace Hopper',
  avatarUrl: picture('#f59e0b', '#db2777'),
  badges: [],
};
const linus = { id: 'usr_linus', displayName: 'Linus', badges: ['subscriber-2' as const] };
const ada = {
  id: 'usr_ada',
  displayName: 'Ada Lovelace',
  avatarUrl: picture('#0ea5e9', '#4f46e5'),
  badges: ['owner' as const],
};

/**
 * A conversation: pictures from the host app's tokens (initials for users
 * without one), how long ago each message was sent (the exact time on
 * hover), and an author's messages within five minutes grouped under one name.
 */
export const Conversation: Story = {
  args: {
    properties: {
      store: new MockChatStore({
        viewerCount: 86,
        messages: [
          said(1, grace, 'Morning! Is yesterday’s lesson recorded?', 125),
          said(2, grace, 'Found it under Past lessons, thanks', 123),
          said(3, linus, 'Joining late: what did I miss?', 12),
          said(4, ada, 'We set up the project; the repo link is pinned.', 3),
          said(5, ada, 'Next up: the first tests', 2.5),
          said(6, ada, '@Linus welcome!', 2),
          said(7, { id: 'usr_ken', displayName: 'Ken Thompson', badges: [] }, '🎉', 0.2),
        ],
      }),
    },
  },
};

/** A timed-out viewer: the composer explains until when. */
export const TimedOut: Story = {
  args: {
    properties: {
      store: new MockChatStore({
        viewerCount: 40,
        messages: mockMessages(5),
        restricted: {
          streamId: 'str_story',
          kind: 'timeout',
          until: new Date(Date.now() + 10 * 60_000).toISOString(),
        },
      }),
    },
  },
};

/** A conversation on a dark page: mentions, pictures, the composer. */
export const Dark: Story = { ...Conversation, decorators: [darkPage] };

/**
 * `replay`: a recording's chat played back with it, where the live chat was
 * (here at 0:40 of a stand-in video: the chapters, the messages so far and
 * an answered question). No live chat is joined.
 */
export const Replay: Story = {
  args: { attributes: { replay: '', 'stream-id': 'str_story' } },
  parameters: { msw: { handlers: replayHandlers() } },
  render: function Render(args) {
    const [client] = useState(mockClient);
    const [media] = useState(() => {
      const at = new StoryMedia();
      at.seekTo(40);
      return at;
    });
    return <WebComponent {...args} properties={{ client, media }} />;
  },
};
