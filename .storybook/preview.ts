import type { Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';

const preview: Preview = {
  // msw answers the REST API in stories (parameters.msw.handlers), so designers need no server.
  loaders: [mswLoader()],
  parameters: { layout: 'padded' },
};

export default preview;
