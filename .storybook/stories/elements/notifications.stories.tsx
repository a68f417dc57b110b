import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockNotificationStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-notifications',
  component: WebComponent,
  args: { tag: 'onair-notifications' },
  decorators: [
    (Story) => (
      <div style={{ display: 'flex', justifyContent: 'flex-end', minHeight: 320 }}>{Story()}</div>
    ),
  ],
  tags: ['autodocs'],
  parameters: elementDocs('onair-notifications'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Two unread (a go-live and a reminder) and one read; open, to show the list. */
export const Open: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      attributes={{ open: '' }}
      properties={{ store: new MockNotificationStore() }}
    />
  ),
};

/** Closed: the bell and its badge. */
export const Closed: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new MockNotificationStore() }} />,
};

/** Nothing yet. */
export const Empty: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      attributes={{ open: '' }}
      properties={{ store: new MockNotificationStore({ empty: true }) }}
    />
  ),
};

/** Open, on a dark page. */
export const Dark: Story = { ...Open, decorators: [darkPage] };
