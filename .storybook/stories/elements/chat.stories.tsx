import type { Meta, StoryObj } from '@storybook/react-vite';
import { MockChatStore, mockMessages } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-chat',
  component: WebComponent,
  args: { tag: 'onair-chat' },
  decorators: [
    (Story) => <div style={{ maxWidth: 360, height: 480, display: 'grid' }}>{Story()}</div>,
  ],
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** A quiet room. Sending works against an in-memory store. */
export const Empty: Story = {
  args: { properties: { store: new MockChatStore({ viewerCount: 3 }) } },
};

/** A busy room: 300 messages, 1,284 viewers. */
export const Busy: Story = {
  args: {
    properties: { store: new MockChatStore({ viewerCount: 1284, messages: mockMessages(300) }) },
  },
};

/** Every send fails with RATE_LIMITED: the message is marked and the error shown. */
export const SendFails: Story = {
  args: {
    properties: {
      store: new MockChatStore({ viewerCount: 12, messages: mockMessages(4) }, 'RATE_LIMITED'),
    },
  },
};

/** What the channel's owner and moderators see: pin and delete on every message, a pinned banner. */
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
