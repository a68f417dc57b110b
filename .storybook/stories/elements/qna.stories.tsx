import type { Meta, StoryObj } from '@storybook/react-vite';
import { MockQuestionStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-qna',
  component: WebComponent,
  args: { tag: 'onair-qna' },
  decorators: [(Story) => <div style={{ maxWidth: 380 }}>{Story()}</div>],
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** A student's view: ask and upvote (once). */
export const Student: Story = {
  render: (args) => <WebComponent {...args} properties={{ store: new MockQuestionStore() }} />,
};

/** The teacher's view: mark answered, hide. */
export const Teacher: Story = {
  args: { attributes: { 'can-moderate': '' } },
  render: (args) => <WebComponent {...args} properties={{ store: new MockQuestionStore() }} />,
};
