import '@onair/elements/translations/es';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockQuestionStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-qna-highlight',
  component: WebComponent,
  args: { tag: 'onair-qna-highlight' },
  // It sits in the player's overlay slot: a 16:9 box standing in for the picture.
  decorators: [
    (Story) => (
      <div
        style={{
          position: 'relative',
          maxWidth: 640,
          aspectRatio: '16 / 9',
          background: 'linear-gradient(135deg, #2b5876, #4e4376)',
        }}
      >
        {Story()}
      </div>
    ),
  ],
  tags: ['autodocs'],
  parameters: elementDocs('onair-qna-highlight'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** A question store whose question on air is `text` (or none). */
class OnAirQuestionStore extends MockQuestionStore {
  constructor(text: string | null) {
    super();
    const answering = this.getSnapshot().answering;
    this.set({ answering: text && answering ? { ...answering, text } : null });
  }
}

/** A moderator put a question on air (`<onair-qna>`'s "Answer now"): viewers see it over the picture. */
export const AnsweringNow: Story = {
  args: { properties: { store: new MockQuestionStore() } },
};

/** A long question wraps inside the card, which never grows past the picture. */
export const LongQuestion: Story = {
  args: {
    properties: {
      store: new OnAirQuestionStore(
        'When the recording is ready, will the chat replay keep the questions that were asked during the stream, and will the answers written afterwards show up beside them as well?',
      ),
    },
  },
};

/** Nothing on air: the element draws nothing (and carries `data-empty`). */
export const NothingOnAir: Story = {
  args: { properties: { store: new OnAirQuestionStore(null) } },
};

/** Spanish strings. */
export const Spanish: Story = {
  args: { lang: 'es', properties: { store: new MockQuestionStore() } },
};

/** The question being answered, on a dark page. */
export const Dark: Story = { ...AnsweringNow, decorators: [darkPage] };
