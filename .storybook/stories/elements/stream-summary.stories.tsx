import '@onair/elements/analytics';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { WebComponent } from '../web-component.js';
import { reportStory } from './report-story.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stream-summary',
  component: WebComponent,
  args: { tag: 'onair-stream-summary', attributes: { 'stream-id': 'str_story' } },
  tags: ['autodocs'],
  parameters: elementDocs('onair-stream-summary'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** After the stream: tiles and the viewers sparkline. */
export const Ended: Story = reportStory('ended');

/** So far, while live. */
export const Live: Story = reportStory('live');

/** Nobody watched. */
export const Empty: Story = reportStory('empty');

/** A poor experience score. */
export const BadQoe: Story = reportStory('bad-qoe');

/** The summary of an ended stream on a dark page. */
export const Dark: Story = { ...Ended, decorators: [darkPage] };
