import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockPresenceStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-viewer-count',
  component: WebComponent,
  args: { tag: 'onair-viewer-count' },
  tags: ['autodocs'],
  parameters: elementDocs('onair-viewer-count'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** The count alone. */
export const Count: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new MockPresenceStore() }} />,
};

/** The host's view: the peak and the viewer list. */
export const HostWithList: Story = {
  args: { attributes: { 'show-peak': '', 'can-moderate': '' } },
  render: (args) => <WebComponent {...args} properties={{ store: new MockPresenceStore() }} />,
};

/** On a dark page. */
export const Dark: Story = { ...HostWithList, decorators: [darkPage] };
