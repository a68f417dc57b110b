import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.js';
import { onairTestProxy } from './scripts/onair-test-proxy.js';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests always run the packages' TypeScript sources. Exact-match aliases work
 * in every Vite environment (node tests, global setup, browser), where the
 * `@onair/source` export condition is not applied everywhere.
 */
const workspaceSources = [
  ['@onair/protocol', 'packages/protocol/src/index.ts'],
  ['@onair/protocol/analytics', 'packages/protocol/src/analytics.ts'],
  ['@onair/protocol/clips', 'packages/protocol/src/clip.ts'],
  ['@onair/protocol/replay', 'packages/protocol/src/replay.ts'],
  ['@onair/protocol/stage', 'packages/protocol/src/stage.ts'],
  ['@onair/protocol/webhooks', 'packages/protocol/src/webhook-verify.ts'],
  ['@onair/core', 'packages/core/src/index.ts'],
  ['@onair/core/analytics', 'packages/core/src/analytics/index.ts'],
  ['@onair/core/stage', 'packages/core/src/stage.ts'],
  ['@onair/react/stage', 'packages/react/src/stage.ts'],
  ['@onair/elements/stage', 'packages/elements/src/stage/onair-stage.ts'],
  ['@onair/elements/stage-join', 'packages/elements/src/stage-join/onair-stage-join.ts'],
  ['@onair/elements/stage-manager', 'packages/elements/src/stage-manager/onair-stage-manager.ts'],
  ['@onair/elements/components', 'packages/elements/src/components.ts'],
  ['@onair/elements', 'packages/elements/src/index.ts'],
  ['@onair/react', 'packages/react/src/index.ts'],
  ['@onair/server', 'packages/server/src/index.ts'],
].map(([name, path]) => ({
  find: new RegExp(`^${(name as string).replace('/', '\\/')}$`),
  replacement: source(`./${path}`),
}));

export default defineConfig({
  resolve: { conditions: ['@onair/source'], alias: workspaceSources },
  ssr: { resolve: { conditions: ['@onair/source'] } },
  test: {
    // Workspace packages go through Vite, resolved to their sources (never a stale dist/).
    server: { deps: { inline: [/@onair\//] } },
    // The suite shares two cores between browsers, ffmpeg and the servers: waits for a
    // server round trip took over the default 1 s under that load. Faults still fail in 5 s.
    expect: { poll: { timeout: 5_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/{protocol,core,server}/src/**/*.test.ts',
            'packages/core/bench/**/*.test.ts',
            'packages/elements/build/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
          ],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        plugins: [onairTestProxy()],
        resolve: {
          alias: workspaceSources,
          conditions: ['@onair/source', 'module', 'browser', 'development|production'],
        },
        test: {
          name: 'browser',
          include: [
            'packages/{elements,react}/src/**/*.test.{ts,tsx}',
            'packages/core/src/**/*.browser.test.ts',
          ],
          globalSetup: ['./scripts/browser-test-server.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: CHROMIUM_PATH,
                args: CHROMIUM_ARGS,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
