import '@onair/elements/stage-join';
import '@onair/elements/translations/es';
import { PUBLISHER_IDLE_STATE, type PublisherState } from '@onair/core';
import type { StageState } from '@onair/core/stage';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stage-join',
  component: WebComponent,
  args: { tag: 'onair-stage-join', attributes: { 'user-id': 'usr_vic' } },
  tags: ['autodocs'],
  parameters: elementDocs('onair-stage-join'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

const READY: StageState = {
  status: 'ready',
  stage: { streamId: 'str_story', limit: 6, layout: 'grid', members: [], hands: [] },
  onStage: false,
  myRole: null,
  handRaised: false,
  error: null,
};

/** A stage store stand-in whose actions move it along as the server would. */
class StageMock extends MockStore<StageState> {
  raiseHand = async () => this.set({ handRaised: true });
  lowerHand = async () => this.set({ handRaised: false });
  leave = async () => this.set({ onStage: false, myRole: null });
}

/** A camera stand-in: a canvas's stream. */
function camera(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const context = canvas.getContext('2d');
  if (context) {
    context.fillStyle = '#345995';
    context.fillRect(0, 0, 640, 360);
    context.fillStyle = '#fff';
    context.font = '600 32px system-ui';
    context.fillText('Your camera', 220, 190);
  }
  return canvas.captureStream(5);
}

const publisher = (patch: Partial<PublisherState>) =>
  new MockStore<PublisherState>({ ...PUBLISHER_IDLE_STATE, ...patch });

/** Watching: the way up is a raised hand. */
export const Watching: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new StageMock(READY) }} />,
};

/** The hand is up; the host sees it in their queue. */
export const HandRaised: Story = {
  render: (args) => (
    <WebComponent {...args} properties={{ store: new StageMock({ ...READY, handRaised: true }) }} />
  ),
};

/** Brought on stage: check the devices before joining. */
export const Invited: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{ store: new StageMock({ ...READY, onStage: true, myRole: 'guest' }) }}
    />
  ),
};

/** Checking the devices: the preview and the microphone meter. */
export const CheckingDevices: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        store: new StageMock({ ...READY, onStage: true, myRole: 'guest' }),
        publisher: publisher({ status: 'previewing', mediaStream: camera() }),
      }}
    />
  ),
};

/** On stage, publishing. */
export const OnStage: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        store: new StageMock({ ...READY, onStage: true, myRole: 'guest' }),
        publisher: publisher({ status: 'live' }),
      }}
    />
  ),
};

/** Spanish labels. */
export const Spanish: Story = {
  args: { lang: 'es' },
  render: (args) => (
    <WebComponent
      {...args}
      properties={{ store: new StageMock({ ...READY, onStage: true, myRole: 'cohost' }) }}
    />
  ),
};

/** Invited on stage, on a dark page. */
export const Dark: Story = { ...Invited, decorators: [darkPage] };
