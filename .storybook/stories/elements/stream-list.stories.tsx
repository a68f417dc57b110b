import '@onair/elements/translations/es';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { listHandlers, mockClient, mockStreams } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stream-list',
  component: WebComponent,
  args: { tag: 'onair-stream-list' },
  tags: ['autodocs'],
  parameters: elementDocs('onair-stream-list'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Live streams (live over realtime in an app; mocked here). */
export const Live: Story = {
  parameters: { msw: { handlers: listHandlers() } },
  args: { properties: { client: mockClient() } },
};

/** Upcoming streams with their start time in the viewer's locale. */
export const Scheduled: Story = {
  parameters: { msw: { handlers: listHandlers() } },
  args: { properties: { client: mockClient() }, attributes: { status: 'scheduled' } },
};

/** Nothing to show. */
export const Empty: Story = {
  parameters: { msw: { handlers: listHandlers([]) } },
  args: { properties: { client: mockClient() } },
};

/** Spanish dates and strings. */
export const ScheduledSpanish: Story = {
  parameters: { msw: { handlers: listHandlers(mockStreams()) } },
  args: { lang: 'es', properties: { client: mockClient() }, attributes: { status: 'scheduled' } },
};

/** With the search bar: words (searched as the viewer stops typing), live, upcoming or past, followed channels only. */
export const WithSearch: Story = {
  parameters: { msw: { handlers: listHandlers() } },
  args: { properties: { client: mockClient() }, attributes: { search: '' } },
};

/** On a dark page. */
export const Dark: Story = { ...Live, decorators: [darkPage] };
