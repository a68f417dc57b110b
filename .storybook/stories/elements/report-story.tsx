import type { StoryObj } from '@storybook/react-vite';
import { type AnalyticsScenario, analyticsHandlers } from '../analytics-mocks.js';
import { mockClient } from '../mocks.js';
import { WebComponent } from '../web-component.js';

/** A story of an analytics element (the meta's tag) over msw's report of `scenario`. */
export function reportStory(
  scenario: AnalyticsScenario,
  options: { forbidden?: boolean } = {},
): StoryObj<typeof WebComponent> {
  return {
    parameters: { msw: { handlers: analyticsHandlers(scenario, options) } },
    render: (args) => <WebComponent {...args} properties={{ client: mockClient() }} />,
  };
}
