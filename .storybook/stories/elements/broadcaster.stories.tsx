import type { Meta, StoryObj } from '@storybook/react-vite';
import { mockClient, mockStream, streamHandlers } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-broadcaster',
  component: WebComponent,
  args: { tag: 'onair-broadcaster' },
  decorators: [(Story) => <div style={{ maxWidth: 640 }}>{Story()}</div>],
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Before the camera is on. "Start camera" asks the browser for permission. */
export const Idle: Story = {
  parameters: { msw: { handlers: streamHandlers(mockStream('scheduled')) } },
  args: { properties: { client: mockClient() }, attributes: { 'stream-id': 'str_story' } },
};

/** Press "Go live": the mocked server refuses (not the owner) and the error is shown. */
export const GoLiveRefused: Story = {
  parameters: {
    msw: {
      handlers: streamHandlers(mockStream('scheduled'), {
        code: 'FORBIDDEN',
        message: 'Only the stream owner may do this',
        status: 403,
      }),
    },
  },
  args: { properties: { client: mockClient() }, attributes: { 'stream-id': 'str_story' } },
};

/** Without a client the controls still render (for layout work). */
export const Unconfigured: Story = {};

/** Spanish strings. */
export const Spanish: Story = { args: { lang: 'es' } };

/**
 * The studio with the camera on: device selects, quality, microphone and
 * camera toggles and screen share appear. Asks the browser for the camera.
 */
export const Previewing: Story = {
  parameters: { msw: { handlers: streamHandlers(mockStream('scheduled')) } },
  args: { properties: { client: mockClient() }, attributes: { 'stream-id': 'str_story' } },
  play: async ({ canvasElement }) => {
    const studio = canvasElement.querySelector('onair-broadcaster');
    await studio?.updateComplete;
    await studio?.preview();
  },
};
