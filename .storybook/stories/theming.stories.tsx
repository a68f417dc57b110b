import type { Meta, StoryObj } from '@storybook/react-vite';
import { DARK_PAGE } from './dark-page.js';
import {
  MockChatStore,
  MockPlayer,
  MockPollStore,
  MockQuestionStore,
  mockMessages,
  mockStreams,
} from './mocks.js';
import { WebComponent } from './web-component.js';

/**
 * The same player, chat and Q&A in three host apps' looks. An element takes
 * its colours, radius, font and spacing from the page's own stylesheet. Four
 * are inherited, set once for every element on a parent or `:root`: the brand
 * colour (`--onair-accent`), the corners (`--onair-radius`), the typeface
 * (`--onair-font-family`) and the spacing unit (`--onair-spacing`). The rest are each element's custom properties (its
 * Docs page lists them), set on the element, e.g.
 * `onair-chat { --onair-chat-mention: #e3f4ec; }`: those declared on a parent
 * do not reach inside, the element's defaults are declared on itself.
 */
interface Theme {
  /** The host app's brand colour, corners, typeface and spacing, for every element. */
  all: { accent: string; radius: string; 'font-family': string; spacing: string };
  /** `--onair-player-*`. */
  player: Record<string, string>;
  /** `--onair-chat-*`. */
  chat: Record<string, string>;
  /** `--onair-panel-*` (Q&A, poll, viewer count's list). */
  panel: Record<string, string>;
}

const THEMES: Record<string, Theme> = {
  // A team chat: aubergine accent, square corners, its system font, dense.
  teamChat: {
    all: {
      accent: '#4a154b',
      radius: '2px',
      'font-family': 'system-ui, sans-serif',
      spacing: '0.2rem',
    },
    player: { accent: '#e01e5a' },
    chat: { mention: '#fdf1e1' },
    panel: {},
  },
  // A course platform: a green brand, soft corners, a serif face, airy.
  coursePlatform: {
    all: {
      accent: '#0b6e4f',
      radius: '16px',
      'font-family': 'Georgia, "DejaVu Serif", serif',
      spacing: '0.3rem',
    },
    player: { accent: '#0b6e4f' },
    chat: { foreground: '#1f2a24', muted: '#4f5d55', mention: '#e3f4ec' },
    panel: { foreground: '#1f2a24', muted: '#4f5d55' },
  },
  // A social app: a blue accent on warm paper, round player corners.
  social: {
    all: {
      accent: '#0a5cad',
      radius: '12px',
      'font-family': 'system-ui, sans-serif',
      spacing: '0.25rem',
    },
    player: { accent: '#0a66c2', radius: '24px' },
    chat: { background: '#fffdf8', mention: '#e8f1fb' },
    panel: { background: '#fffdf8' },
  },
};

/** The page stylesheet a host app would write for `theme`, scoped to `.scope`. */
function stylesheet(scope: string, theme: Theme): string {
  const props = (prefix: string, values: Record<string, string>) =>
    Object.entries(values)
      .map(([name, value]) => `--onair-${prefix}-${name}: ${value};`)
      .join(' ');
  const all = Object.entries(theme.all)
    .map(([name, value]) => `--onair-${name}: ${value};`)
    .join(' ');
  return [
    `.${scope} { ${all} }`,
    `.${scope} onair-player { ${props('player', theme.player)} }`,
    `.${scope} onair-chat { ${props('chat', theme.chat)} }`,
    `.${scope} onair-qna { ${props('panel', theme.panel)} }`,
  ].join('\n');
}

/** One host app's page: the player above, chat and Q&A side by side. */
function ThemedPage({ name }: { name: keyof typeof THEMES }) {
  const theme = THEMES[name] as Theme;
  const scope = `theme-${name}`;
  return (
    <div className={scope} style={{ display: 'grid', gap: 12, maxWidth: 760 }}>
      <style>{stylesheet(scope, theme)}</style>
      <PlayerAndChat>
        <WebComponent tag="onair-qna" properties={{ store: new MockQuestionStore() }} />
      </PlayerAndChat>
    </div>
  );
}

/** The player above; below, the chat beside `children`. */
function PlayerAndChat({ children }: { children: React.ReactNode }) {
  return (
    <>
      <WebComponent tag="onair-player" properties={{ engine: new MockPlayer({}) }} />
      <div
        style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12, alignItems: 'start' }}
      >
        <div style={{ height: 480, display: 'grid' }}>
          <WebComponent
            tag="onair-chat"
            attributes={{ 'viewer-name': 'Ada' }}
            properties={{
              store: new MockChatStore({ viewerCount: 42, messages: mockMessages(8) }),
            }}
          />
        </div>
        {children}
      </div>
    </>
  );
}

const meta: Meta<typeof ThemedPage> = {
  title: 'Guides/Theming',
  component: ThemedPage,
};
export default meta;
type Story = StoryObj<typeof ThemedPage>;

/** A team chat (like Slack): aubergine accent, square corners. */
export const TeamChat: Story = { args: { name: 'teamChat' } };

/** A course platform: green brand, soft corners, a serif face. */
export const CoursePlatform: Story = { args: { name: 'coursePlatform' } };

/** A social app: blue accent on warm paper, round player corners. */
export const Social: Story = { args: { name: 'social' } };

/**
 * A dark page: it sets `--onair-color-scheme: dark` (a page that follows the
 * system sets `light dark`), and the elements take their dark palette from
 * it, with no other custom property set. An element's `theme` attribute
 * (`light`, `dark`, `auto`) overrides the page: the stream card here is
 * `theme="light"` on the dark page.
 */
function DarkPage() {
  const [live] = mockStreams();
  return (
    <div style={{ ...DARK_PAGE, display: 'grid', gap: 12, maxWidth: 760 }}>
      <PlayerAndChat>
        <div style={{ display: 'grid', gap: 12 }}>
          <WebComponent tag="onair-qna" properties={{ store: new MockQuestionStore() }} />
          <WebComponent tag="onair-poll" properties={{ store: new MockPollStore({ voted: 1 }) }} />
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <WebComponent tag="onair-stream-card" properties={{ stream: live }} />
            <WebComponent
              tag="onair-stream-card"
              properties={{ stream: live }}
              attributes={{ theme: 'light' }}
            />
          </div>
        </div>
      </PlayerAndChat>
    </div>
  );
}

/** The elements on a dark page, one card kept light by its `theme` attribute. */
export const Dark: StoryObj<typeof DarkPage> = { render: () => <DarkPage /> };
