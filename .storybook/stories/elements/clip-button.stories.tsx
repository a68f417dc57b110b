import '@onair/elements/clip-button';
import type { Clip } from '@onair/protocol';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, HttpResponse, http } from 'msw';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MOCK_BASE, mockClient } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const clip: Clip = {
  id: 'clp_story',
  streamId: 'str_story',
  title: 'That goal',
  createdBy: { id: 'usr_fan', displayName: 'Grace' },
  startSeconds: 1184,
  durationSeconds: 30,
  url: '/clips/clp_story/clip.mp4',
  posterUrl: '/clips/clp_story/poster.jpg',
  pageUrl: '/clips/clp_story',
  createdAt: new Date().toISOString(),
};

/** A 16:9 frame, served as the clip's poster. */
const POSTER = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 90">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#2b2d42"/><stop offset="1" stop-color="#5b3cc4"/></linearGradient></defs>
  <rect width="160" height="90" fill="url(#g)"/><circle cx="80" cy="45" r="16" fill="#fff" opacity=".85"/>
</svg>`;

/** REST of clipping: the cut answers after `wait` (or never), with the clip or `error`. */
function clipHandlers(
  wait: number | 'infinite',
  error?: { code: string; message: string; status: number },
) {
  return [
    http.post(`${MOCK_BASE}/v1/streams/:id/clips`, async () => {
      await delay(wait);
      return error
        ? HttpResponse.json({ code: error.code, message: error.message }, { status: error.status })
        : HttpResponse.json(clip, { status: 201 });
    }),
    http.get(
      `${MOCK_BASE}/clips/:id/poster.jpg`,
      () => new HttpResponse(POSTER, { headers: { 'content-type': 'image/svg+xml' } }),
    ),
  ];
}

/** Clicks the clip button once the element is on the page (it is appended in an effect, after `play` starts). */
async function clickClip({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> {
  let element = canvasElement.querySelector('onair-clip-button');
  for (let tries = 0; !element && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    element = canvasElement.querySelector('onair-clip-button');
  }
  await element?.updateComplete;
  element?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]')?.click();
}

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-clip-button',
  component: WebComponent,
  args: {
    tag: 'onair-clip-button',
    attributes: { 'stream-id': 'str_story' },
    properties: { client: mockClient() },
  },
  tags: ['autodocs'],
  parameters: elementDocs('onair-clip-button'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** Ready to clip the last 30 s (clicking cuts one in a second and a half). */
export const Idle: Story = { parameters: { msw: { handlers: clipHandlers(1500) } } };

/** The server is cutting: the button waits, "Clipping…" is announced. */
export const Cutting: Story = {
  parameters: { msw: { handlers: clipHandlers('infinite') } },
  play: clickClip,
};

/** The clip made: its poster, title and length, "Open clip" and "Copy link". */
export const Ready: Story = {
  parameters: { msw: { handlers: clipHandlers(0) } },
  play: clickClip,
};

/** A stream that has not started: nothing to clip. */
export const NotLive: Story = {
  name: 'Error',
  parameters: {
    msw: {
      handlers: clipHandlers(0, {
        code: 'STREAM_NOT_LIVE',
        message: 'This stream has not started: there is nothing to clip yet',
        status: 409,
      }),
    },
  },
  play: clickClip,
};

/** Spanish strings, with the clip made. */
export const Spanish: Story = {
  args: { lang: 'es' },
  parameters: { msw: { handlers: clipHandlers(0) } },
  play: clickClip,
};

/** A clip made, on a dark page. */
export const Dark: Story = { ...Ready, decorators: [darkPage] };
