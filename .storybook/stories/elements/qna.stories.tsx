import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockQuestionStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-qna',
  component: WebComponent,
  args: { tag: 'onair-qna' },
  decorators: [(Story) => <div style={{ maxWidth: 380 }}>{Story()}</div>],
  tags: ['autodocs'],
  parameters: elementDocs('onair-qna'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** A student's view: ask and upvote (once). */
export const Student: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new MockQuestionStore() }} />,
};

/** The teacher's view: put a question on air, answer aloud or in writing, hide. */
export const Teacher: Story = {
  args: { attributes: { 'can-moderate': '' } },
  render: (args) => <WebComponent {...args} properties={{ store: new MockQuestionStore() }} />,
};

/**
 * `<onair-qna-highlight slot="overlay">` inside a player: the question on air,
 * over the picture. It shares the Q&A's store here.
 */
export const OnAirOverPlayer: Story = {
  render: () => {
    const store = new MockQuestionStore();
    return (
      <div style={{ display: 'grid', gap: 12 }}>
        <div style={{ position: 'relative', aspectRatio: '16 / 9', background: '#223' }}>
          <WebComponent tag="onair-qna-highlight" properties={{ store }} />
        </div>
        <WebComponent tag="onair-qna" attributes={{ 'can-moderate': '' }} properties={{ store }} />
      </div>
    );
  },
};

/** The teacher's view on a dark page. */
export const Dark: Story = { ...Teacher, decorators: [darkPage] };

/** Before anyone asks: the list says so, the ask form waits. */
export const Empty: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        store: new MockQuestionStore({ questions: [], answering: null, myUpvotes: [] }),
      }}
    />
  ),
};

/** The stream ended: the questions stay to read, no more are asked or voted on. */
export const Closed: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{ store: new MockQuestionStore({ closed: true, answering: null }) }}
    />
  ),
};
