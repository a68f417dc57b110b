import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { mockClient, mockStream, settingsHandlers } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stream-settings',
  component: WebComponent,
  args: { tag: 'onair-stream-settings' },
  tags: ['autodocs'],
  parameters: elementDocs('onair-stream-settings'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** A scheduled stream: every setting, key rotation and cancel. */
export const Scheduled: Story = {
  parameters: {
    msw: {
      handlers: settingsHandlers({
        ...mockStream('scheduled'),
        scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    },
  },
  args: {
    properties: { client: mockClient() },
    attributes: { 'stream-id': 'str_story', 'no-confirm': '' },
  },
};

/** A live stream (no schedule, no cancel). */
export const Live: Story = {
  parameters: { msw: { handlers: settingsHandlers(mockStream('live')) } },
  args: {
    properties: { client: mockClient() },
    attributes: { 'stream-id': 'str_story', 'no-confirm': '' },
  },
};

/** An ended stream: read-only. */
export const Ended: Story = {
  parameters: {
    msw: {
      handlers: settingsHandlers({ ...mockStream('ended'), endedAt: new Date().toISOString() }),
    },
  },
  args: { properties: { client: mockClient() }, attributes: { 'stream-id': 'str_story' } },
};

/** On a dark page. */
export const Dark: Story = { ...Scheduled, decorators: [darkPage] };
