import '@onair/elements/chat-replay';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { mockClient } from '../mocks.js';
import { markerHandlers } from '../replay-mocks.js';
import { WebComponent } from '../web-component.js';

/** Opens the form, types `title` and submits it, once the element is on the page. */
function addChapter(title: string) {
  return async ({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> => {
    let element = canvasElement.querySelector('onair-chapter-button');
    let button: HTMLButtonElement | null | undefined;
    // The element is appended in an effect; its button shows once the stream is known live.
    for (let tries = 0; !button && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      element = canvasElement.querySelector('onair-chapter-button');
      button = element?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]');
    }
    button?.click();
    await element?.updateComplete;
    const input = element?.shadowRoot?.querySelector('input');
    if (!input) return;
    input.value = title;
    element?.shadowRoot?.querySelector('form')?.requestSubmit();
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
