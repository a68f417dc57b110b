import '@onair/elements/followers';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { HttpResponse, http } from 'msw';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MOCK_BASE, mockClient, picture } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Newest first, as the server lists them. */
const FOLLOWERS = [
  { id: 'usr_grace', displayName: 'Grace Hopper', avatarUrl: picture('#f59e0b', '#db2777'), at: 3 },
  { id: 'usr_linus', displayName: 'Linus', at: 50 },
  { id: 'usr_margaret', displayName: 'Margaret Hamilton', at: 60 * 5 },
  {
    id: 'usr_ken',
    displayName: 'Ken Thompson',
    avatarUrl: picture('#0ea5e9', '#4f46e5'),
    at: 60 * 30,
  },
  { id: 'usr_barbara', displayName: 'Barbara Liskov', at: 60 * 24 * 3 },
].map(({ at, ...user }) => ({ user, since: minutesAgo(at) }));

/** The channel's followers, `pageSize` at a time, or a refusal. */
function followerHandlers(
  followers: typeof FOLLOWERS,
  error?: { code: string; message: string; status: number },
) {
  return [
    http.get(`${MOCK_BASE}/v1/channels/:id/followers`, ({ request }) => {
      if (error) {
        return HttpResponse.json(
          { code: error.code, message: error.message },
          { status: error.status },
        );
      }
      const query = new URL(request.url).searchParams;
      const start = Number(query.get('cursor') ?? 0);
      const end = start + Number(query.get('limit') ?? 20);
      return HttpResponse.json({
        items: followers.slice(start, end),
        nextCursor: end < followers.length ? String(end) : null,
      });
    }),
  ];
}

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-followers',
  component: WebComponent,
  args: {
    tag: 'onair-followers',
    attributes: { 'channel-id': 'usr_ada', 'page-size': '4' },
    properties: { client: mockClient() },
    style: { display: 'block', maxWidth: '360px' },
  },
  tags: ['autodocs'],
  parameters: elementDocs('onair-followers'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/**
 * The owner's view: pictures from the followers' tokens (initials for users
 * without one), how long ago each followed (the exact time on hover), and
 * "Load more" while older followers remain.
 */
export const Default: Story = { parameters: { msw: { handlers: followerHandlers(FOLLOWERS) } } };

/** A channel nobody follows yet. */
export const Empty: Story = { parameters: { msw: { handlers: followerHandlers([]) } } };

/** Anyone but the channel's owner and moderators: why the list is not theirs. */
export const Forbidden: Story = {
  parameters: {
    msw: {
      handlers: followerHandlers([], {
        code: 'FORBIDDEN',
        message: "Only the channel's staff may list its followers",
        status: 403,
      }),
    },
  },
};

/** Spanish strings. */
export const Spanish: Story = { ...Default, args: { lang: 'es' } };

/** On a dark page. */
export const Dark: Story = { ...Default, decorators: [darkPage] };
