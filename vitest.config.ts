import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { onairTestProxy } from './scripts/onair-test-proxy.js';

/** Debian's Chromium on a closed network, with a fake camera and microphone. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

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
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: chromiumArgs,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
