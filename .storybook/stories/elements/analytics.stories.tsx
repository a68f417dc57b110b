import '@onair/elements/analytics';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { analyticsHandlers } from '../analytics-mocks.js';
import { mockClient } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-analytics',
  component: WebComponent,
  args: {
    tag: 'onair-analytics',
    attributes: { 'stream-id': 'str_story' },
    style: { maxWidth: 960 },
  },
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/**
 * A stream on air: the live badge, the age of the figures (pushed every 5 s
 * over realtime in an app; fetched once from msw here) and 38 minutes of charts.
 */
export const Live: Story = {
  parameters: { msw: { handlers: analyticsHandlers('live') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** The report after the stream ended: 95 minutes, good experience. "Download CSV" works. */
export const Ended: Story = {
  parameters: { msw: { handlers: analyticsHandlers('ended') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** Live, nobody watched yet. */
export const Empty: Story = {
  parameters: { msw: { handlers: analyticsHandlers('empty') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** Slow starts, long stalls, failures and a low bitrate: a poor experience score. */
export const BadQoe: Story = {
  parameters: { msw: { handlers: analyticsHandlers('bad-qoe') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** Anyone but the stream's owner, moderators and admins. */
export const Forbidden: Story = {
  parameters: { msw: { handlers: analyticsHandlers('ended', { forbidden: true }) } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};

/** Spanish strings, numbers and units. */
export const EndedSpanish: Story = {
  args: { lang: 'es' },
  parameters: { msw: { handlers: analyticsHandlers('ended') } },
  render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
};
