import '@onair/elements/remind-button';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, HttpResponse, http } from 'msw';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MOCK_BASE, mockClient, mockStream } from '../mocks.js';
import { WebComponent } from '../web-component.js';

/**
 * REST of a stream's reminder: the story's user starts reminded or not; setting it answers
 * after a short wait, or fails with `error` (clearing it always answers).
 */
function reminderHandlers(
  reminded: boolean,
  error?: { code: string; message: string; status: number },
) {
  let current = reminded;
  return [
    // The buttons of a page read together.
    http.get(`${MOCK_BASE}/v1/me/reminders`, ({ request }) =>
      HttpResponse.json({
        items: (new URL(request.url).searchParams.get('streams') ?? '')
          .split(',')
          .map((streamId) => ({ streamId, reminded: current })),
      }),
    ),
    http.put(`${MOCK_BASE}/v1/streams/:id/reminder`, async ({ params }) => {
      await delay(400);
      if (error) {
        return HttpResponse.json(
          { code: error.code, message: error.message },
          { status: error.status },
        );
      }
      current = true;
      return HttpResponse.json({ streamId: params.id, reminded: current });
    }),
    http.delete(`${MOCK_BASE}/v1/streams/:id/reminder`, async ({ params }) => {
      await delay(400);
      current = false;
      return HttpResponse.json({ streamId: params.id, reminded: current });
    }),
  ];
}

/** Clicks the button once the element is on the page and has loaded the reminder. */
async function clickRemind({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> {
  let button: HTMLButtonElement | null | undefined = null;
  for (let tries = 0; !button && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    button = canvasElement
      .querySelector('onair-remind-button')
      ?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]');
  }
  button?.click();
}

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-remind-button',
  component: WebComponent,
  args: {
    tag: 'onair-remind-button',
    properties: { client: mockClient(), stream: mockStream('scheduled') },
  },
  tags: ['autodocs'],
  parameters: elementDocs('onair-remind-button'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Not reminded yet: "Remind me" (clicking sets the reminder). */
export const Off: Story = { parameters: { msw: { handlers: reminderHandlers(false) } } };

/** Reminded: "Reminder set", pressed (clicking clears it). */
export const On: Story = { parameters: { msw: { handlers: reminderHandlers(true) } } };

/** The stream started meanwhile: the server refuses, the button switches back and says why. */
export const Started: Story = {
  name: 'Error',
  parameters: {
    msw: {
      handlers: reminderHandlers(false, {
        code: 'CONFLICT',
        message: 'Only a scheduled stream can be reminded of',
        status: 409,
      }),
    },
  },
  play: clickRemind,
};

/** Spanish strings, reminded. */
export const Spanish: Story = {
  args: { lang: 'es' },
  parameters: { msw: { handlers: reminderHandlers(true) } },
};

/** On a dark page. */
export const Dark: Story = { ...Off, decorators: [darkPage] };
