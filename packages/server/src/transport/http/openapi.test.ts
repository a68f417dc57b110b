import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/harness.js';
import { API_ROUTES } from './openapi.js';

describe('/openapi.json', () => {
  it('documents every /v1 route the server registers, with request and response schemas', async () => {
    const server = await startTestServer({ devAuth: true });
    try {
      const doc = (await (await server.request('/openapi.json')).json()) as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>
        >;
      };
      expect(doc.openapi).toBe('3.1.0');
      const documented = Object.entries(doc.paths)
        .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
        .sort();
      expect(documented).toEqual(
        API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort(),
      );
      const create = doc.paths['/v1/streams']?.post;
      expect(create?.requestBody).toBeDefined();
      expect(Object.keys(create?.responses ?? {})).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '422']),
      );
    } finally {
      await server.close();
    }
  });

  it('matches the routes actually registered', async () => {
    const registered: string[] = [];
    const app = Fastify();
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method !== 'HEAD' && route.url.startsWith('/v1/')) {
          registered.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
        }
      }
    });
    const { registerStreamRoutes } = await import('../../domains/streams/routes.js');
    const { registerChannelRoutes } = await import('../../domains/channels/routes.js');
    const { registerAnalyticsRoutes } = await import('../../domains/analytics/routes.js');
    const { registerStageRoutes } = await import('../../domains/stage/routes.js');
    const { registerNotificationRoutes } = await import('../../domains/notifications/routes.js');
    const { registerClipRoutes } = await import('../../domains/clips/routes.js');
    const stub = {} as never;
    registerStreamRoutes(app, { service: stub, streams: stub, tokens: stub, devAuth: true });
    registerChannelRoutes(app, { channels: stub, streams: stub, tokens: stub, bus: stub });
    registerAnalyticsRoutes(app, { service: stub, tokens: stub, state: stub, addressRate: false });
    registerStageRoutes(app, { stage: stub, service: stub, streams: stub, tokens: stub });
    registerNotificationRoutes(app, {
      notifications: stub,
      channels: stub,
      streams: stub,
      tokens: stub,
    });
    registerClipRoutes(app, { clips: stub, tokens: stub, authorizeMedia: stub });
    const { registerThumbnailRoutes } = await import('../../domains/streams/thumbnail-routes.js');
    const { InternalBus } = await import('../../platform/events.js');
    registerThumbnailRoutes(app, {
      service: stub,
      tokens: stub,
      ffmpegPath: undefined,
      dir: '',
      bus: new InternalBus(() => undefined),
      log: stub,
      authorize: stub,
    });
    const { registerPushRoutes } = await import('../../domains/notifications/push-routes.js');
    registerPushRoutes(app, { subscriptions: stub, tokens: stub, webPush: undefined });
    const { registerViewerHistoryRoutes } = await import('../../domains/presence/routes.js');
    registerViewerHistoryRoutes(app, { sessions: stub, service: stub, tokens: stub });
    const { registerReplayRoutes } = await import('../../domains/replay/routes.js');
    registerReplayRoutes(app, { replay: stub, tokens: stub });
    await app.ready();
    expect(registered.sort()).toEqual(
      API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort(),
    );
    await app.close();
  });
});
