import '@onair/elements/analytics';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { analyticsHandlers } from '../analytics-mocks.js';
import { mockClient } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stream-summary',
  component: WebComponent,
  args: { tag: 'onair-stream-summary', attributes: { 'stream-id': 'str_story' } },
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** After the stream: tiles and the viewers sparkline. */
export const Ended: Story = {
  parameters: { msw: { handlers: analyticsHandlers('ended') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** So far, while live. */
export const Live: Story = {
  parameters: { msw: { handlers: analyticsHandlers('live') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** Nobody watched. */
export const Empty: Story = {
  parameters: { msw: { handlers: analyticsHandlers('empty') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** A poor experience score. */
export const BadQoe: Story = {
  parameters: { msw: { handlers: analyticsHandlers('bad-qoe') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};
