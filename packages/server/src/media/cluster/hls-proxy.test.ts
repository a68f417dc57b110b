import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../transport/http/app.js';
import { registerHlsRoutes } from '../hls/routes.js';
import { HlsProxy, PROXIED_HEADER } from './hls-proxy.js';
import { MediaNode } from './media-node.js';
import { MemoryMediaRegistry } from './memory-registry.js';

/*
 * Two nodes in one process, each a real HTTP server with the HLS routes and
 * sharing one registry: node A holds the streams (their files on its disk,
 * as after a recording), node B holds none and answers from A. A live
 * packager behind the proxy is the two-node test's (two-node.test.ts).
 */
const OPEN = 'str_proxyopen0001';
const SIGNED = 'str_proxysigned01';
const GHOST = 'str_proxyghost001';
const DEAD = 'str_proxydead0001';
const SLOW = 'str_proxyslow0001';
/** Recordings of ended streams (no holder): on A's disk, on B's (none), on a dead node. */
const RECORDED = 'str_proxyrecord01';
const RECORDED_SIGNED = 'str_proxyrecsig01';
const RECORDED_HERE = 'str_proxyrechere1';
const RECORDED_DEAD = 'str_proxyrecdead1';
const SIGNED_STREAMS = new Set([SIGNED, RECORDED_SIGNED]);
/** The node keeping each recording (the streams' `recording_node`). */
const recorders = new Map<string, string>();
const MASTER = '#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nlow/index.m3u8\n';
const MEDIA =
  '#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI="init-0.mp4"\n#EXTINF:2,\n0.m4s\n#EXT-X-ENDLIST\n';
const SEGMENT = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));

const registry = new MemoryMediaRegistry();
const dirs: string[] = [];
const cleanups: Array<() => unknown> = [];
/** Tokens each node's access check accepts for the signed stream, and what each was asked. */
const accepted = { a: new Set(['good']), b: new Set(['good', 'revoked-on-a']) };
const checked = { a: [] as Array<string | undefined>, b: [] as Array<string | undefined> };
/** Requests that reached A, with their proxy header. */
const seenByA: Array<{ url: string; proxiedBy: string | undefined }> = [];
/** Requests that reached A with an `Authorization` header. */
const bearersSeenByA: string[] = [];
/** Requests that reached B, likewise. */
const seenByB: typeof seenByA = [];
/** Times each node looked at its own disk for a stream. */
const diskLookups = { a: 0, b: 0 };
let urlA: string;
let urlB: string;
let nodeA: MediaNode;
let nodeB: MediaNode;

async function startNode(name: 'a' | 'b'): Promise<{ app: FastifyInstance; node: MediaNode }> {
  const dir = await mkdtemp(join(tmpdir(), `onair-proxy-${name}-`));
  dirs.push(dir);
  const node = new MediaNode({ registry, log: () => undefined });
  const proxy = new HlsProxy(node, async (id) => recorders.get(id));
  const app = await createHttpApp({ logLevel: 'silent', corsOrigins: [], trustProxy: false });
  app.addHook('onRequest', async (request) => {
    const proxiedBy = request.headers[PROXIED_HEADER];
    if (name === 'a' && request.headers.authorization) bearersSeenByA.push(request.url);
    (name === 'a' ? seenByA : seenByB).push({
      url: request.url,
      proxiedBy: typeof proxiedBy === 'string' ? proxiedBy : undefined,
    });
  });
  registerHlsRoutes(app, {
    authorize: async (streamId, token) => {
      if (!SIGNED_STREAMS.has(streamId)) return '';
      checked[name].push(token);
      if (!token || !accepted[name].has(token)) throw new OnAirError('UNAUTHORIZED', 'no');
      return `?token=${token}`;
    },
    dirOf: (id) => {
      diskLookups[name]++;
      return join(dir, id);
    },
    live: () => undefined,
    remote: (id, request, reply) => proxy.forward(id, request, reply),
    stored: (id, request, reply) => proxy.fromRecorder(id, request, reply),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  node.start(url);
  cleanups.push(
    () => app.close(),
    () => node.close(),
    () => proxy.close(),
  );
  return { app, node };
}

beforeAll(async () => {
  const a = await startNode('a');
  const b = await startNode('b');
  [nodeA, nodeB] = [a.node, b.node];
  urlA = a.node.holder?.url ?? '';
  urlB = b.node.holder?.url ?? '';
  for (const id of [OPEN, SIGNED, RECORDED, RECORDED_SIGNED]) {
    const dir = join(dirs[0] as string, id);
    await mkdir(join(dir, 'low'), { recursive: true });
    await writeFile(join(dir, 'master.m3u8'), MASTER);
    await writeFile(join(dir, 'low', 'index.m3u8'), MEDIA);
    await writeFile(join(dir, 'low', '0.m4s'), SEGMENT);
    if (id === OPEN || id === SIGNED) nodeA.hold(id);
    else recorders.set(id, urlA);
  }
  recorders.set(RECORDED_HERE, urlB);
  // A stale entry naming A under another node's id (A restarted, say): nothing there.
  await registry.claim(GHOST, { nodeId: 'node_ghost', url: urlA }, 60_000);
  // A node that died: its port is closed.
  const dead = createServer();
  await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise((resolve) => dead.close(resolve));
  await registry.claim(DEAD, { nodeId: 'node_dead', url: `http://127.0.0.1:${deadPort}` }, 60_000);
  recorders.set(RECORDED_DEAD, `http://127.0.0.1:${deadPort}`);
  await sleep(10);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const fromA = (path: string, init?: RequestInit) => fetch(`${urlA}/hls/${path}`, init);
const fromB = (path: string, init?: RequestInit) => fetch(`${urlB}/hls/${path}`, init);

describe('HLS from a node that does not hold the stream', () => {
  it('answers from the holder: status, body, content type, cache policy and CORS', async () => {
    seenByA.length = 0;
    diskLookups.b = 0;
    for (const [path, type, cache] of [
      [`${OPEN}/master.m3u8`, 'application/vnd.apple.mpegurl', 'public, max-age=60'],
      [`${OPEN}/low/index.m3u8`, 'application/vnd.apple.mpegurl', 'public, max-age=60'],
      [`${OPEN}/low/0.m4s`, 'video/iso.segment', 'public, max-age=31536000, immutable'],
    ] as const) {
      const [direct, proxied] = await Promise.all([fromA(path), fromB(path)]);
      expect(proxied.status, path).toBe(200);
      expect(proxied.headers.get('content-type'), path).toBe(type);
      expect(proxied.headers.get('cache-control'), path).toBe(cache);
      expect(proxied.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(proxied.headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
      expect(proxied.headers.get('content-length')).toBe(direct.headers.get('content-length'));
      expect(Buffer.from(await proxied.arrayBuffer())).toEqual(
        Buffer.from(await direct.arrayBuffer()),
      );
    }
    // Each proxied request reached A once, marked with B's id, and B answered it with A's
    // answer alone: it never went on to look for the file on its own disk.
    expect(seenByA.filter((r) => r.proxiedBy === nodeB.id)).toHaveLength(3);
    expect(diskLookups.b).toBe(0);
    const head = await fromB(`${OPEN}/low/0.m4s`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(SEGMENT.length));
  });

  it('passes the viewer’s token on: both nodes check it, the holder has the last word', async () => {
    checked.a.length = 0;
    checked.b.length = 0;
    seenByA.length = 0;
    // Refused by B itself: A never hears of it.
    const missing = await fromB(`${SIGNED}/master.m3u8`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { code: string }).code).toBe('UNAUTHORIZED');
    expect(seenByA).toHaveLength(0);

    const signed = await fromB(`${SIGNED}/low/index.m3u8?token=good`);
    expect(signed.status).toBe(200);
    expect(signed.headers.get('cache-control')).toBe('private, no-store');
    expect(await signed.text()).toContain('0.m4s?token=good');
    expect(checked).toEqual({ a: ['good'], b: [undefined, 'good'] });

    // B still takes a token A has stopped taking (B's cache lags): A's answer stands.
    const revoked = await fromB(`${SIGNED}/low/0.m4s?token=revoked-on-a`);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { code: string }).code).toBe('UNAUTHORIZED');
    expect(checked.a.at(-1)).toBe('revoked-on-a');
  });

  it('answers a stream no node holds as before: 404 NOT_FOUND, without asking anyone', async () => {
    seenByA.length = 0;
    const response = await fromB('str_proxynobody01/master.m3u8');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('NOT_FOUND');
    expect(seenByA).toHaveLength(0);
  });

  it('never forwards a forwarded request (a stale entry cannot loop)', async () => {
    seenByA.length = 0;
    // The entry names A's URL, so A would send the request to itself: the second hop stops.
    const direct = await fromA(`${GHOST}/master.m3u8`);
    expect(direct.status).toBe(404);
    expect(((await direct.json()) as { code: string }).code).toBe('NOT_FOUND');
    expect(seenByA.map((r) => r.proxiedBy)).toEqual([undefined, nodeA.id]);
    seenByA.length = 0;
    const viaB = await fromB(`${GHOST}/master.m3u8`);
    expect(viaB.status).toBe(404);
    expect(seenByA.map((r) => r.proxiedBy)).toEqual([nodeB.id]);
    // A request marked as forwarded is answered where it lands.
    const marked = await fromB(`${OPEN}/master.m3u8`, { headers: { [PROXIED_HEADER]: 'x' } });
    expect(marked.status).toBe(404);
  });

  it('says MEDIA_UNAVAILABLE (503) while the registry names a holder that does not answer', async () => {
    const response = await fromB(`${DEAD}/master.m3u8`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { code: string }).code).toBe('MEDIA_UNAVAILABLE');
  });
});

describe('HlsProxy while the registry is unreachable', () => {
  it('answers UNAVAILABLE (503, Retry-After) for a stream not live here', async () => {
    const outage = Object.assign(new Error('Connection is closed.'), { code: 'ECONNREFUSED' });
    const down = () => Promise.reject(outage);
    const node = new MediaNode({
      registry: { claim: down, renew: down, release: down, holderOf: down },
      log: () => undefined,
    });
    const proxy = new HlsProxy(node);
    const app = await createHttpApp({ logLevel: 'silent', corsOrigins: [], trustProxy: false });
    registerHlsRoutes(app, {
      authorize: async () => '',
      dirOf: (id) => join(tmpdir(), 'onair-proxy-nothing', id),
      live: () => undefined,
      remote: (id, request, reply) => proxy.forward(id, request, reply),
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(
      () => app.close(),
      () => proxy.close(),
    );
    const response = await fetch(`${url}/hls/${OPEN}/master.m3u8`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { code: string }).code).toBe('UNAVAILABLE');
  });
});

describe('HlsProxy with a slow holder', () => {
  let holder: Server;
  const closedEarly: string[] = [];
  let release: (() => void) | undefined;

  beforeAll(async () => {
    // A holder that sends a response in two pieces, or holds a request (a blocking reload).
    holder = createServer((request, response) => {
      if (request.url?.includes('held')) {
        response.once('close', () => {
          if (!response.writableFinished) closedEarly.push(request.url ?? '');
        });
        return;
      }
      response.writeHead(200, { 'content-type': 'video/iso.segment', 'x-piece': 'two' });
      response.write('first;');
      release = () => response.end('second');
    });
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(holder.address() as AddressInfo).port}`;
    await registry.claim(SLOW, { nodeId: 'node_slow', url }, 60_000);
  });
  afterAll(async () => {
    holder.closeAllConnections();
    await new Promise((resolve) => holder.close(resolve));
  });

  it('streams the answer through as it comes', async () => {
    const response = await fromB(`${SLOW}/low/1.0.m4s`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-piece')).toBe('two');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    // The first piece arrives while the holder still holds the second.
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toBe('first;');
    release?.();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += Buffer.from(chunk.value).toString();
    }
    expect(rest).toBe('second');
  });

  it('stops waiting on the holder when the viewer goes away', async () => {
    const controller = new AbortController();
    const request = fromB(`${SLOW}/low/index.m3u8?_HLS_msn=9&_HLS_part=0&held`, {
      signal: controller.signal,
    }).catch((error: Error) => error.name);
    await sleep(200);
    controller.abort();
    expect(await request).toBe('AbortError');
    await expect.poll(() => closedEarly.length, { timeout: 2_000 }).toBe(1);
  });
});

describe('A recording from a node whose media folder lacks it', () => {
  it('answers from the node that recorded it: status, body, content type and cache policy', async () => {
    seenByA.length = 0;
    for (const path of [
      `${RECORDED}/master.m3u8`,
      `${RECORDED}/low/index.m3u8`,
      `${RECORDED}/low/0.m4s`,
    ]) {
      const [direct, proxied] = await Promise.all([fromA(path), fromB(path)]);
      expect(proxied.status, path).toBe(200);
      for (const header of ['content-type', 'cache-control', 'content-length']) {
        expect(proxied.headers.get(header), `${path} ${header}`).toBe(direct.headers.get(header));
      }
      expect(Buffer.from(await proxied.arrayBuffer())).toEqual(
        Buffer.from(await direct.arrayBuffer()),
      );
    }
    expect(seenByA.filter((r) => r.proxiedBy === nodeB.id)).toHaveLength(3);
    // A viewer's API token is not the other node's business: it stays on B.
    bearersSeenByA.length = 0;
    const withBearer = await fromB(`${RECORDED}/low/0.m4s`, {
      headers: { authorization: 'Bearer a-viewer-token' },
    });
    expect(withBearer.status).toBe(200);
    expect(seenByA.at(-1)).toEqual({ url: `/hls/${RECORDED}/low/0.m4s`, proxiedBy: nodeB.id });
    expect(bearersSeenByA).toEqual([]);
    // A file the recording never had: the recorder's 404.
    const missing = await fromB(`${RECORDED}/low/7.m4s`);
    expect(missing.status).toBe(404);
    expect(seenByA.at(-1)).toEqual({ url: `/hls/${RECORDED}/low/7.m4s`, proxiedBy: nodeB.id });
  });

  it('checks the viewer’s token on both nodes and keeps it in the playlist', async () => {
    checked.a.length = 0;
    checked.b.length = 0;
    seenByA.length = 0;
    const refused = await fromB(`${RECORDED_SIGNED}/low/index.m3u8`);
    expect(refused.status).toBe(401);
    expect(seenByA).toHaveLength(0);
    const signed = await fromB(`${RECORDED_SIGNED}/low/index.m3u8?token=good`);
    expect(signed.status).toBe(200);
    expect(signed.headers.get('cache-control')).toBe('private, no-store');
    expect(await signed.text()).toContain('0.m4s?token=good');
    expect(checked).toEqual({ a: ['good'], b: [undefined, 'good'] });
  });

  it('answers 404 without asking on: a forwarded request, its own recording, none kept', async () => {
    seenByA.length = 0;
    seenByB.length = 0;
    const marked = await fromB(`${RECORDED}/master.m3u8`, { headers: { [PROXIED_HEADER]: 'x' } });
    expect(marked.status).toBe(404);
    // B recorded it (by the stored URL) and its folder lacks the file: no request to itself.
    const own = await fromB(`${RECORDED_HERE}/master.m3u8`);
    expect(own.status).toBe(404);
    const none = await fromB('str_proxynorec001/master.m3u8');
    expect(none.status).toBe(404);
    expect(((await none.json()) as { code: string }).code).toBe('NOT_FOUND');
    expect(seenByA).toHaveLength(0);
    // Each reached B once, from the viewer.
    expect(seenByB.map((r) => r.proxiedBy)).toEqual(['x', undefined, undefined]);
  });

  it('says MEDIA_UNAVAILABLE (503) while the recording’s node does not answer', async () => {
    const response = await fromB(`${RECORDED_DEAD}/low/0.m4s`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('MEDIA_UNAVAILABLE');
    expect(body.message).toMatch(/recording/);
  });
});
