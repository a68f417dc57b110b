import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.js';
import { onairTestProxy } from './scripts/onair-test-proxy.js';

export default defineConfig({
  resolve: { conditions: ['@onair/source'] },
  ssr: { resolve: { conditions: ['@onair/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/{protocol,core,server}/src/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        plugins: [onairTestProxy()],
        resolve: {
          conditions: ['@onair/source', 'module', 'browser', 'development|production'],
        },
        test: {
          name: 'browser',
          include: ['packages/{elements,react}/src/**/*.test.{ts,tsx}'],
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
