import type { Meta, StoryObj } from '@storybook/react-vite';
import { mockClient, mockStream, streamHandlers } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-player',
  component: WebComponent,
  args: { tag: 'onair-player' },
  decorators: [(Story) => <div style={{ maxWidth: 640 }}>{Story()}</div>],
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Nothing to play yet. */
export const Idle: Story = {};

/** The stream exists but has not gone live: the overlay says so. */
export const Offline: Story = {
  parameters: { msw: { handlers: streamHandlers(mockStream('scheduled')) } },
  args: { properties: { client: mockClient() }, attributes: { 'stream-id': 'str_story' } },
};

/** A live stream whose HLS is not there yet: the player keeps retrying. */
export const Loading: Story = {
  parameters: { msw: { handlers: streamHandlers(mockStream('live')) } },
  args: {
    properties: { client: mockClient() },
    attributes: { 'stream-id': 'str_story', muted: '' },
  },
};

/** Strings follow the page language (`lang="es"`). */
export const Spanish: Story = {
  parameters: { msw: { handlers: streamHandlers(mockStream('scheduled')) } },
  args: {
    lang: 'es',
    properties: { client: mockClient() },
    attributes: { 'stream-id': 'str_story' },
  },
};

/** Themed through CSS custom properties. */
export const Themed: Story = {
  args: {
    style: {
      ['--onair-player-accent' as string]: '#0a84ff',
      ['--onair-player-radius' as string]: '20px',
    },
  },
};
