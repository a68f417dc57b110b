import type { Meta, StoryObj } from '@storybook/react-vite';
import { elementDocs } from '../element-docs.js';
import { MockReactionStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-reactions',
  component: WebComponent,
  args: { tag: 'onair-reactions' },
  decorators: [
    (Story) => (
      <div
        style={{
          position: 'relative',
          width: 640,
          height: 360,
          background: '#111',
          display: 'grid',
        }}
      >
        {Story()}
      </div>
    ),
  ],
  tags: ['autodocs'],
  parameters: elementDocs('onair-reactions'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Reactions floating up over a video; under prefers-reduced-motion they stay still. */
export const OverVideo: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new MockReactionStore() }} />,
};

/** Overlay only, for viewers on a small screen. */
export const OverlayOnly: Story = {
  args: { attributes: { 'no-picker': '' } },
  render: (args) => <WebComponent {...args} properties={{ store: new MockReactionStore() }} />,
};
