import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './openapi.js';

/** Version reported in the OpenAPI document. */
const SERVER_VERSION = '0.1.0';

/** What `/healthz` reports. */
export interface ServerHealth {
  storage: 'pglite' | 'postgres';
  /** Whether the media plane runs. */
  media: boolean;
  /** Whether HLS is packaged (ffmpeg runs). */
  hls: boolean;
}

/** Registers `/healthz` (liveness and what runs) and `/openapi.json` (the REST API's description). */
export function registerMetaRoutes(app: FastifyInstance, health: ServerHealth): void {
  app.get('/healthz', async () => ({ ok: true, ...health }));
  const openApi = openApiDocument(SERVER_VERSION);
  app.get('/openapi.json', async () => openApi);
}
