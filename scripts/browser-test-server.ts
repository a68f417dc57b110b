import { createServer, type OnAirServer } from '@onair/server';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    onairUrl: string;
  }
}

let server: OnAirServer | undefined;

/**
 * Global setup of the browser test project: a real OnAir server (embedded
 * PGlite, real media plane) on a random port that the element and React
 * tests reach through the test page's origin.
 */
export async function setup(project: TestProject): Promise<void> {
  // Many writes from one address in a few seconds: no REST rate limit here (it has its own test).
  server = await createServer({
    devAuth: true,
    logLevel: 'error',
    databaseUrl: undefined,
    restRateLimit: false,
    // Every test page connects from 127.0.0.1 through the test proxy: no per-address cap.
    maxConnectionsPerIp: 0,
    // The node test project runs alongside: no fixed RTMP port.
    media: { rtmpPort: 0 },
  });
  // The browser reaches it through scripts/onair-test-proxy.ts, same-origin.
  process.env.ONAIR_TEST_URL = server.url;
  project.provide('onairUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
