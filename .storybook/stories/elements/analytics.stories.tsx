import '@onair/elements/analytics';
import '@onair/elements/translations/es';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { WebComponent } from '../web-component.js';
import { reportStory } from './report-story.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-analytics',
  component: WebComponent,
  args: {
    tag: 'onair-analytics',
    attributes: { 'stream-id': 'str_story' },
    style: { maxWidth: 960 },
  },
  tags: ['autodocs'],
  parameters: elementDocs('onair-analytics'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/**
 * A stream on air: the live badge, the age of the figures (pushed every 5 s
 * over realtime in an app; fetched once from msw here) and 38 minutes of charts.
 */
export const Live: Story = reportStory('live');

/** The report after the stream ended: 95 minutes, good experience. "Download CSV" works. */
export const Ended: Story = reportStory('ended');

/** Live, nobody watched yet. */
export const Empty: Story = reportStory('empty');

/** Slow starts, long stalls, failures and a low bitrate: a poor experience score. */
export const BadQoe: Story = reportStory('bad-qoe');

/** Anyone but the stream's owner, moderators and admins. */
export const Forbidden: Story = reportStory('ended', { forbidden: true });

/** Spanish strings, numbers and units. */
export const EndedSpanish: Story = { ...reportStory('ended'), args: { lang: 'es' } };

/** The ended report on a dark page: the charts draw in the dark palette. */
export const Dark: Story = { ...Ended, decorators: [darkPage] };
