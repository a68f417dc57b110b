import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['./stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  addons: ['msw-storybook-addon'],
  staticDirs: ['./public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(config) {
    // Stories use the packages' TypeScript sources, like the tests.
    config.resolve ??= {};
    config.resolve.conditions = ['@onair/source', 'module', 'browser', 'development|production'];
    return config;
  },
};

export default config;
