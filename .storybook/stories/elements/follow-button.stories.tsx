import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { followHandlers, mockClient } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-follow-button',
  component: WebComponent,
  args: { tag: 'onair-follow-button' },
  tags: ['autodocs'],
  parameters: elementDocs('onair-follow-button'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Follow, then pick what to be told: every stream, go-lives only, or nothing. */
export const Default: Story = {
  parameters: { msw: { handlers: followHandlers('usr_ada') } },
  args: { attributes: { 'channel-id': 'usr_ada' }, properties: { client: mockClient() } },
};

/** On a dark page. */
export const Dark: Story = { ...Default, decorators: [darkPage] };
