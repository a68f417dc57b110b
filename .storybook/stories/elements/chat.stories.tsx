import '@onair/elements/translations/es';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { elementDocs } from '../element-docs.js';
import { MockChatStore, mockMessages } from '../mocks.js';
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
