import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';
import { analyzeElements } from '../packages/elements/build/analyze-elements.js';

const MANIFEST_ID = 'virtual:onair-elements-manifest';
const RESOLVED_MANIFEST_ID = `\0${MANIFEST_ID}`;
const ELEMENTS_SRC = fileURLToPath(new URL('../packages/elements/src/', import.meta.url));

const config: StorybookConfig = {
  stories: ['./stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  // Docs: a page per element (its custom elements manifest reference, then its stories).
  addons: ['msw-storybook-addon', '@storybook/addon-docs'],
  staticDirs: ['./public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(config) {
    // Stories use the packages' TypeScript sources, like the tests.
    config.resolve ??= {};
    config.resolve.conditions = ['@onair/source', 'module', 'browser', 'development|production'];
    config.plugins ??= [];
    config.plugins.push({
      // The elements' custom elements manifest, made from their sources by the package's own
      // analyzer config (what `pnpm build` ships), for the Docs pages: never a stale build.
      name: 'onair-elements-manifest',
      resolveId: (id: string) => (id === MANIFEST_ID ? RESOLVED_MANIFEST_ID : undefined),
      load: async (id: string) =>
        id === RESOLVED_MANIFEST_ID
          ? `export default ${JSON.stringify(await analyzeElements())};`
          : undefined,
      // `pnpm storybook`: a component's TSDoc edited, its Docs page made again.
      configureServer(server) {
        server.watcher.on('change', (file) => {
          const manifest = server.moduleGraph.getModuleById(RESOLVED_MANIFEST_ID);
          if (!manifest || !file.startsWith(ELEMENTS_SRC)) return;
          server.moduleGraph.invalidateModule(manifest);
          server.ws.send({ type: 'full-reload' });
        });
      },
    });
    return config;
  },
};

export default config;
