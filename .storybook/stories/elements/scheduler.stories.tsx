import '@onair/elements/translations/es';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { createHandlers, mockClient } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-scheduler',
  component: WebComponent,
  args: { tag: 'onair-scheduler' },
  tags: ['autodocs'],
  parameters: elementDocs('onair-scheduler'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Fill in and create: the one-time stream key is shown. A start time in the past shows the 422 error. */
export const Default: Story = {
  parameters: { msw: { handlers: createHandlers() } },
  args: { properties: { client: mockClient() } },
};

/** Spanish. */
export const Spanish: Story = {
  parameters: { msw: { handlers: createHandlers() } },
  args: { lang: 'es', properties: { client: mockClient() } },
};

/** On a dark page. */
export const Dark: Story = { ...Default, decorators: [darkPage] };
