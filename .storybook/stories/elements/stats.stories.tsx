import '@onair/elements/translations/es';
import type { PlayerState, PublisherState } from '@onair/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { elementDocs } from '../element-docs.js';
import { MockStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stats',
  component: WebComponent,
  args: { tag: 'onair-stats' },
  tags: ['autodocs'],
  parameters: elementDocs('onair-stats'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

const publisher = (stats: PublisherState['stats']) =>
  new MockStore<Pick<PublisherState, 'status' | 'stats'>>({ status: 'live', stats });

const player = (patch: Partial<PlayerState>) =>
  new MockStore<Partial<PlayerState>>({
    status: 'playing',
    mode: 'hls',
    latency: 1.4,
    stats: {
      width: 1280,
      height: 720,
      bitrate: 2_800_000,
      bandwidthEstimate: 9_400_000,
      buffer: 1.2,
      droppedFrames: 3,
      packetsLost: 0,
    },
    ...patch,
  });

/** A broadcaster's figures, as `<onair-broadcaster>` reports them every second. */
export const Broadcaster: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        publisher: publisher({
          videoBitrate: 2_430_000,
          audioBitrate: 32_000,
          frameRate: 30,
          width: 1280,
          height: 720,
          packetLoss: 0.004,
          roundTripTime: 0.023,
          qualityLimitationReason: 'none',
        }),
      }}
    />
  ),
};

/** A broadcaster whose encoder is held back by the CPU, on a lossy link. */
export const BroadcasterStruggling: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        publisher: publisher({
          videoBitrate: 610_000,
          audioBitrate: 32_000,
          frameRate: 14,
          width: 640,
          height: 360,
          packetLoss: 0.063,
          roundTripTime: 0.31,
          qualityLimitationReason: 'cpu',
        }),
      }}
    />
  ),
};

/** A viewer over LL-HLS: buffer and the bandwidth estimate. */
export const ViewerHls: Story = {
  render: (args) => <WebComponent {...args} properties={{ player: player({}) }} />,
};

/** A viewer in real time: packets lost instead of a buffer. */
export const ViewerRealtime: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        player: player({
          mode: 'realtime',
          latency: null,
          stats: {
            width: 1280,
            height: 720,
            bitrate: 1_900_000,
            bandwidthEstimate: null,
            buffer: 0,
            droppedFrames: 0,
            packetsLost: 12,
          },
        }),
      }}
    />
  ),
};

/** Nothing measured yet. */
export const Waiting: Story = {};

/** Spanish labels. */
export const Spanish: Story = {
  args: { lang: 'es' },
  render: (args) => <WebComponent {...args} properties={{ player: player({}) }} />,
};
