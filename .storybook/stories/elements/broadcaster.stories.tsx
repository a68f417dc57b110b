import '@onair/elements/translations/es';
import { OnAirError } from '@onair/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { elementDocs } from '../element-docs.js';
import {
  MockHealthStore,
  MockPublisher,
  mockClient,
  mockStream,
  streamHandlers,
} from '../mocks.js';
import { waitInShadow } from '../wait-in-shadow.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-broadcaster',
  component: WebComponent,
  args: { tag: 'onair-broadcaster' },
  decorators: [(Story) => <div style={{ maxWidth: 640 }}>{Story()}</div>],
  tags: ['autodocs'],
  parameters: elementDocs('onair-broadcaster'),
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
 * The studio with the camera on: device pickers, quality, microphone and
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

// The stories below drive the studio from a mock engine: a painted test card
// instead of the camera, no server; every button works on the mock's state.
const engine = (patch: ConstructorParameters<typeof MockPublisher>[0] = {}) => ({
  properties: { engine: new MockPublisher(patch), noConfirm: true },
});

/** The camera is on (a test card), not yet live: devices, quality, toggles, "Go live". */
export const ReadyToGoLive: Story = { args: engine({ status: 'previewing' }) };

/**
 * "Go live" pressed: the seconds left count down over the preview (3 by
 * default, the `countdown` attribute); the button cancels meanwhile. Drawn at
 * its first second: the story keeps the countdown from ticking.
 */
export const CountingDown: Story = {
  args: engine({ status: 'previewing' }),
  play: async ({ canvasElement }) => {
    const goLive = await waitInShadow<HTMLButtonElement>(
      canvasElement,
      'onair-broadcaster',
      '[part="go-live"]',
    );
    // The countdown's ticker is the one interval the click starts: it is
    // handed a timer that never fires, so the screenshot holds still.
    const { setInterval } = window;
    window.setInterval = (() => 0) as unknown as typeof window.setInterval;
    try {
      goLive.found.click();
    } finally {
      window.setInterval = setInterval;
    }
    await waitInShadow(canvasElement, 'onair-broadcaster', '[part="countdown"]');
  },
};

/** Connecting to the server after "Go live". */
export const Connecting: Story = { args: engine({ status: 'connecting' }) };

/** On air: the live timer, the toggles and "End stream". */
export const Live: Story = { args: engine({ status: 'live' }) };

/**
 * Choosing the camera: its picker's list opens over the page, the camera in
 * use checked and focused (Tab and Enter, or a click, pick another).
 */
export const ChoosingCamera: Story = {
  args: engine({ status: 'previewing' }),
  // Room below the studio for the list.
  decorators: [(Story) => <div style={{ paddingBottom: 96 }}>{Story()}</div>],
  play: async ({ canvasElement }) => {
    const picker = await waitInShadow<HTMLButtonElement>(
      canvasElement,
      'onair-broadcaster',
      '[popovertarget="camera"]',
    );
    picker.found.click();
  },
};

/** On air with the microphone and camera off. */
export const LiveMuted: Story = {
  args: engine({ status: 'live', audioMuted: true, videoMuted: true }),
};

/**
 * Sharing the screen, the devices open (on air they fold behind the Devices
 * button): while sharing, the camera can sit in the screen's corner.
 */
export const ScreenSharing: Story = {
  args: engine({ status: 'live', screenSharing: true, cameraOverScreen: true }),
  play: async ({ canvasElement }) => {
    const devices = await waitInShadow<HTMLButtonElement>(
      canvasElement,
      'onair-broadcaster',
      '[aria-expanded="false"]',
    );
    devices.found.click();
    await devices.host.updateComplete;
  },
};

/**
 * On air with the ingest's health as a chip: its level and, in words, what
 * lowers it first (every figure on hover).
 */
export const HealthFair: Story = {
  args: {
    properties: {
      ...engine({ status: 'live' }).properties,
      healthStore: new MockHealthStore(62, ['Bitrate is low for 720p', 'Packet loss 4%']),
    },
  },
};

/** A poor ingest: the chip in the live red. */
export const HealthPoor: Story = {
  args: {
    properties: {
      ...engine({ status: 'live' }).properties,
      healthStore: new MockHealthStore(31, ['Frame rate is 12 fps', 'Packet loss 4%']),
    },
  },
};

/** On air in a narrow studio (under 480px): the control bar's icons only, each named on hover. */
export const LiveNarrow: Story = {
  args: engine({ status: 'live' }),
  decorators: [(Story) => <div style={{ maxWidth: 400 }}>{Story()}</div>],
};

/** "End stream" asks first, inside the studio: "Keep streaming" is focused. */
export const EndConfirmation: Story = {
  args: { properties: { engine: new MockPublisher({ status: 'live' }) } },
  play: async ({ canvasElement }) => {
    const end = await waitInShadow<HTMLButtonElement>(
      canvasElement,
      'onair-broadcaster',
      '[part="end"]',
    );
    end.found.click();
    await waitInShadow(canvasElement, 'onair-broadcaster', 'dialog[open]');
  },
};

/** The connection dropped: the publisher is retrying (viewers see "reconnecting"). */
export const Reconnecting: Story = {
  args: engine({ status: 'reconnecting', reconnectAttempt: 2 }),
};

/** The camera was refused: the typed error is shown and "Start camera" can try again. */
export const PermissionDenied: Story = {
  args: engine({
    status: 'failed',
    error: new OnAirError('PERMISSION_DENIED', 'Camera or microphone permission was denied'),
  }),
};

/** The stream has ended. */
export const Ended: Story = { args: engine({ status: 'ended' }) };
