import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockPollStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-poll',
  component: WebComponent,
  args: { tag: 'onair-poll' },
  decorators: [(Story) => <div style={{ maxWidth: 380 }}>{Story()}</div>],
  tags: ['autodocs'],
  parameters: elementDocs('onair-poll'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** An open poll before voting. */
export const Open: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new MockPollStore() }} />,
};

/** After voting: live results, the viewer's choice outlined. */
export const Voted: Story = {
  render: (args) => (
    <WebComponent {...args} properties={{ store: new MockPollStore({ voted: 1 }) }} />
  ),
};

/** The host's view of a closed poll, with the form for the next one. */
export const HostClosed: Story = {
  args: { attributes: { 'can-moderate': '' } },
  render: (args) => (
    <WebComponent {...args} properties={{ store: new MockPollStore({ closed: true }) }} />
  ),
};

/** Voted, on a dark page: the bars and the chosen option. */
export const Dark: Story = { ...Voted, decorators: [darkPage] };
