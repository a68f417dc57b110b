import { defineConfig } from 'vitest/config';

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
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
