import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StorybookConfig } from '@storybook/react-vite';

const ELEMENTS = fileURLToPath(new URL('../packages/elements', import.meta.url));
const MANIFEST_ID = 'virtual:onair-elements-manifest';

/**
 * The elements' custom elements manifest, made from their sources by the
 * package's own analyzer config (what `pnpm build` ships as
 * dist/custom-elements.json), so Docs pages never read a stale build.
 */
async function elementsManifest(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'onair-storybook-cem-'));
  try {
    const cli = join(ELEMENTS, 'node_modules', '.bin', 'cem');
    // The analyzer joins `--outdir` to the working directory, even an absolute one.
    await promisify(execFile)(cli, ['analyze', '--outdir', relative(ELEMENTS, out)], {
      cwd: ELEMENTS,
    });
    return await readFile(join(out, 'custom-elements.json'), 'utf8');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

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
      name: 'onair-elements-manifest',
      resolveId: (id: string) => (id === MANIFEST_ID ? `\0${MANIFEST_ID}` : undefined),
      load: async (id: string) =>
        id === `\0${MANIFEST_ID}` ? `export default ${await elementsManifest()};` : undefined,
    });
    return config;
  },
};

export default config;
