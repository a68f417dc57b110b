import '@onair/elements/translations/es';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { elementDocs } from '../element-docs.js';
import { MockPlayer, mockClient, mockStream, streamHandlers } from '../mocks.js';
import { waitInShadow } from '../wait-in-shadow.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-player',
  component: WebComponent,
  args: { tag: 'onair-player' },
  decorators: [(Story) => <div style={{ maxWidth: 640 }}>{Story()}</div>],
  tags: ['autodocs'],
  parameters: elementDocs('onair-player'),
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

/** A picture for the scheduled stream (a host app's thumbnail): an inline SVG. */
const POSTER = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"><defs><linearGradient id="g"><stop offset="0" stop-color="#2b2d42"/><stop offset="1" stop-color="#0b6e4f"/></linearGradient></defs><rect width="16" height="9" fill="url(#g)"/><circle cx="12" cy="3" r="1.5" fill="#f0b429"/></svg>',
)}`;

/**
 * A scheduled stream with its poster and start time (in the viewer's
 * language and time zone); it starts playing when the stream goes live.
 */
export const Scheduled: Story = {
  parameters: {
    msw: {
      handlers: streamHandlers({
        ...mockStream('scheduled'),
        scheduledAt: '2027-03-04T18:30:00.000Z',
      }),
    },
  },
  args: {
    properties: { client: mockClient() },
    attributes: { 'stream-id': 'str_story', poster: POSTER },
  },
};

/** The stream ended while being watched, its recording not ready yet: "replay soon". */
export const Ended: Story = {
  parameters: {
    msw: {
      handlers: streamHandlers({
        ...mockStream('ended'),
        startedAt: '2027-03-04T18:30:00.000Z',
        endedAt: '2027-03-04T19:30:00.000Z',
        recording: true,
      }),
    },
  },
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

// The stories below drive the controls from a mock engine (no server, no video):
// the picture stays black, every control and overlay is the real one.
const engine = (patch: ConstructorParameters<typeof MockPlayer>[0] = {}) => ({
  properties: { engine: new MockPlayer(patch) },
});

/** Playing LL-HLS at the live edge: live badge, latency, DVR bar, volume, quality menu (Auto). */
export const Playing: Story = { args: engine() };

/** Sought back 40 s in the DVR window: the badge dims, the bar says how far behind. */
export const BehindLive: Story = {
  args: engine({ position: 78.8, latency: 41.2, atLiveEdge: false }),
};

/** A quality picked by hand (480p) instead of Auto. */
export const ManualQuality: Story = { args: engine({ level: 2, autoLevel: false }) };

/**
 * Choosing a quality: the menu's list opens over the video, Auto (with what it
 * plays) then the renditions, the one in use checked and focused.
 */
export const ChoosingQuality: Story = {
  args: engine({}),
  play: async ({ canvasElement }) => {
    const menu = await waitInShadow<HTMLButtonElement>(
      canvasElement,
      'onair-player',
      '[popovertarget="quality"]',
    );
    menu.found.click();
  },
};

/** Real-time (WebRTC) viewing of a simulcast stream: layers instead of renditions, no DVR. */
export const Realtime: Story = {
  args: engine({
    mode: 'realtime',
    latency: null,
    seekable: null,
    levels: [0, 1, 2].map((index) => ({ index, height: null, bitrate: null })),
    level: 2,
  }),
};

/** The browser blocked autoplay with sound: playing muted, with an unmute prompt. */
export const AutoplayBlocked: Story = { args: engine({ muted: true, autoplayBlocked: true }) };

/** Rebuffering. */
export const Buffering: Story = { args: engine({ status: 'buffering' }) };

/** Paused (the DVR keeps the place). */
export const Paused: Story = { args: engine({ status: 'paused', atLiveEdge: false, latency: 8 }) };

/** Playback failed for good (after the retries): an alert overlay. */
export const PlaybackError: Story = {
  args: engine({ status: 'error', levels: [], seekable: null }),
};
