import '@onair/elements/chat-replay';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { mockClient } from '../mocks.js';
import { REPLAY_SECONDS, replayHandlers, StoryMedia } from '../replay-mocks.js';
import { WebComponent } from '../web-component.js';

/** Props of {@link ChatReplayStory}: where the stand-in video is, and whether it plays. */
interface ChatReplayStoryProps {
  /** Playback position, seconds (the control moves the stand-in video there). */
  time: number;
  /** Plays on from `time`: messages arrive, reactions float. */
  playing: boolean;
  lang?: string;
}

/** `<onair-chat-replay>` following a stand-in video whose time the story's controls move. */
function ChatReplayStory({ time, playing, lang = 'en' }: ChatReplayStoryProps) {
  const [media] = useState(() => new StoryMedia());
  const [client] = useState(mockClient);
  useEffect(() => media.seekTo(time), [media, time]);
  useEffect(() => {
    media.setPlaying(playing);
    return () => media.setPlaying(false);
  }, [media, playing]);
  return (
    <div style={{ maxWidth: 360, height: 480, display: 'grid' }}>
      <WebComponent
        tag="onair-chat-replay"
        lang={lang}
        attributes={{ 'stream-id': 'str_story' }}
        properties={{ client, media }}
      />
    </div>
  );
}

const meta: Meta<typeof ChatReplayStory> = {
  title: 'Elements/onair-chat-replay',
  component: ChatReplayStory,
  args: { time: 12, playing: false },
  argTypes: {
    time: { control: { type: 'range', min: 0, max: REPLAY_SECONDS, step: 1 } },
    playing: { control: 'boolean' },
  },
  tags: ['autodocs'],
  parameters: { msw: { handlers: replayHandlers() }, ...elementDocs('onair-chat-replay') },
};
export default meta;
type Story = StoryObj<typeof ChatReplayStory>;

/**
 * Early in the recording: the chapters (Intro playing), the first messages
 * with their time, and the minute's reactions rising over the log. Move
 * "time" or turn "playing" on; a chapter's button seeks there.
 */
export const Replay: Story = {};

/** Playing from 0:15: the question arrives at 0:20, its answer at 0:35. */
export const Playing: Story = { args: { time: 15, playing: true } };

/** At 0:40, in the "Questions" chapter: the question's card with its written answer. */
export const AnsweredQuestion: Story = { args: { time: 40 } };

/** In the second minute: its 🎉 reactions, and the "Demo" chapter from 1:15. */
export const Reactions: Story = { args: { time: 80, playing: true } };

/** Before anything was said: the empty state. */
export const Empty: Story = { args: { time: 0 } };

/** A stream that was not recorded. */
export const NoRecording: Story = {
  name: 'Error',
  parameters: {
    msw: {
      handlers: replayHandlers({
        code: 'STREAM_NOT_LIVE',
        message: 'This stream has no recording to replay',
        status: 409,
      }),
    },
  },
};

/** Spanish strings. */
export const Spanish: Story = { args: { time: 40, lang: 'es' } };

/** An answered question, on a dark page. */
export const Dark: Story = { ...AnsweredQuestion, decorators: [darkPage] };
