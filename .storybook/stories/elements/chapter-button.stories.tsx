import '@onair/elements/chat-replay';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { mockClient } from '../mocks.js';
import { markerHandlers } from '../replay-mocks.js';
import { waitInShadow } from '../wait-in-shadow.js';
import { WebComponent } from '../web-component.js';

/** Opens the form, types `title` and submits it, once the element is on the page. */
function addChapter(title: string) {
  return async ({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> => {
    // Its button shows once the stream is known live.
    const { host, found } = await waitInShadow<HTMLButtonElement>(
      canvasElement,
      'onair-chapter-button',
      '[part="button"]',
    );
    found.click();
    await host.updateComplete;
    const input = host.shadowRoot?.querySelector('input');
    if (!input) throw new Error('the chapter form never opened');
    input.value = title;
    host.shadowRoot?.querySelector('form')?.requestSubmit();
  };
}

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-chapter-button',
  component: WebComponent,
  args: {
    tag: 'onair-chapter-button',
    attributes: { 'stream-id': 'str_story' },
    properties: { client: mockClient() },
  },
  tags: ['autodocs'],
  parameters: elementDocs('onair-chapter-button'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** "Add chapter" on a live stream (adding one answers in a second). */
export const Idle: Story = { parameters: { msw: { handlers: markerHandlers(1000) } } };

/** Adding: the form waits, "Adding…" is announced. */
export const Adding: Story = {
  parameters: { msw: { handlers: markerHandlers('infinite') } },
  play: addChapter('Demo'),
};

/** Added: the chapter's title shows for a few seconds. */
export const Added: Story = {
  parameters: { msw: { handlers: markerHandlers(0) } },
  play: addChapter('Demo'),
};

/** A viewer who is not the owner or a moderator. */
export const Forbidden: Story = {
  name: 'Error',
  parameters: {
    msw: {
      handlers: markerHandlers(0, {
        code: 'FORBIDDEN',
        message: "Only the stream's owner or a moderator may set chapters",
        status: 403,
      }),
    },
  },
  play: addChapter('Mine'),
};

/** Spanish strings. */
export const Spanish: Story = {
  args: { lang: 'es' },
  parameters: { msw: { handlers: markerHandlers(1000) } },
};

/** On a dark page. */
export const Dark: Story = { ...Added, decorators: [darkPage] };
