import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { mockStreams } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const [live, , , scheduled] = mockStreams();

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stream-card',
  component: WebComponent,
  args: { tag: 'onair-stream-card' },
  decorators: [(Story) => <div style={{ width: 280 }}>{Story()}</div>],
  tags: ['autodocs'],
  parameters: elementDocs('onair-stream-card'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Live, with a viewer count. */
export const Live: Story = {
  args: { properties: { stream: live }, attributes: { 'viewer-count': '1284' } },
};

/** Scheduled: the start time in the viewer's locale. */
export const Scheduled: Story = { args: { properties: { stream: scheduled } } };

/** Ended, with a replay. */
export const EndedWithReplay: Story = {
  args: {
    properties: {
      stream: {
        ...live,
        status: 'ended',
        endedAt: new Date().toISOString(),
        recordingUrl: '/vod/x.m3u8',
      },
    },
  },
};

/** A live card on a dark page. */
export const Dark: Story = { ...Live, decorators: [darkPage] };
