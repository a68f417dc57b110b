import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia, validateMaster } from '../../../../../scripts/validate-ll-hls.js';
import { type ClusterNode, type TestCluster, testCluster } from '../../../test/cluster.js';
import { publishRtmp } from '../../../test/rtmp-publisher.js';
import { PROXIED_HEADER } from './hls-proxy.js';
import { REGISTRY_TTL_MS } from './registry.js';

/*
 * Two server processes sharing PostgreSQL and Redis, as in production: an
 * encoder publishes over RTMP to A, a viewer asks B for the stream's LL-HLS
 * and B answers from A (found in the media registry). When A dies, its
 * registry entry expires and B stops answering for it.
 */
let cluster: TestCluster;
let nodeA: ClusterNode;
let nodeB: ClusterNode;
let prefix: string;
/** The media folders of the nodes that cut clips (each node has its own). */
const folders: Record<string, string> = {};

beforeAll(async () => {
  cluster = await testCluster();
  prefix = cluster.prefix;
  // A migrates the database; B starts after it. Only A takes RTMP.
  folders.a = await mkdtemp(join(tmpdir(), 'onair-node-a-'));
  nodeA = await cluster.startNode({ media: { rtmpPort: 0, hlsDir: folders.a } });
  nodeB = await cluster.startNode({ media: { rtmpPort: false } });
}, 40_000);

afterAll(async () => {
  await cluster?.close();
  for (const folder of Object.values(folders)) await rm(folder, { recursive: true, force: true });
});

async function get(base: string, path: string) {
  const response = await fetch(`${base}${path}`);
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}
const text = async (base: string, path: string) => (await get(base, path)).body.toString();

/** Asks `base` for a clip of a stream as a viewer of `token`. */
async function clip(base: string, streamId: string, token: string, range: object) {
  const response = await fetch(`${base}/v1/streams/${streamId}/clips`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: 'Across nodes', ...range }),
  });
  return { status: response.status, body: (await response.json()) as { id: string; url: string } };
}

/** A clip's files from B are the cutter's; deleting the clip through B removes them there. */
async function clipAcross(
  cutter: ClusterNode,
  folder: string,
  clipId: string,
  url: string,
  token: string,
) {
  const files = join(folder, '.clips', clipId);
  expect(existsSync(join(files, 'clip.mp4'))).toBe(true);
  const [fromCutter, fromB] = await Promise.all([get(cutter.url, url), get(nodeB.url, url)]);
  expect(fromCutter.status).toBe(200);
  expect(fromB.status).toBe(200);
  expect(fromB.headers.get('content-type')).toBe('video/mp4');
  expect(fromB.body.equals(fromCutter.body)).toBe(true);
  const ranged = await fetch(`${nodeB.url}${url}`, { headers: { range: 'bytes=0-99' } });
  expect(ranged.status).toBe(206);
  expect((await ranged.arrayBuffer()).byteLength).toBe(100);
  const deleted = await fetch(`${nodeB.url}/v1/clips/${clipId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(deleted.status).toBe(204);
  expect((await get(cutter.url, url)).status).toBe(404);
  expect(existsSync(files)).toBe(false);
}

async function publicStream(
  node: ClusterNode = nodeA,
  token?: string,
  settings: Record<string, unknown> = {},
): Promise<{ id: string; streamKey: string }> {
  const bearer = token ?? (await cluster.token(node, 'Two-node host'));
  const created = await fetch(`${node.url}/v1/streams`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ title: 'Across machines', privacy: 'public', ...settings }),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { stream: { id: string }; streamKey: string };
  return { id: body.stream.id, streamKey: body.streamKey };
}

describe('HLS across two server processes (Redis registry)', () => {
  it('serves A’s stream from B, and stops within the TTL once A dies', async () => {
    const { id, streamKey } = await publicStream();
    const encoder = publishRtmp(`${nodeA.rtmpUrl}/${streamKey}`, { seconds: 50 });
    cluster.adopt(encoder);
    const hls = `/hls/${id}`;

    // The master playlist, asked of B (which holds nothing), comes from A's packager.
    await expect
      .poll(async () => (await get(nodeB.url, `${hls}/master.m3u8`)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    const master = await get(nodeB.url, `${hls}/master.m3u8`);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(master.headers.get('cache-control')).toBe('no-cache');
    // B serves what A serves. A's own master can change between two fetches (a new
    // segment raises a rendition's measured peak BANDWIDTH), so both are asked at once.
    await expect
      .poll(async () => {
        const [fromB, fromA] = await Promise.all([
          text(nodeB.url, `${hls}/master.m3u8`),
          text(nodeA.url, `${hls}/master.m3u8`),
        ]);
        return fromB === fromA ? 'the same' : `B:\n${fromB}\nA:\n${fromA}`;
      })
      .toBe('the same');
    const variants = validateMaster(master.body.toString()).variants;
    expect(variants.map((v) => v.uri)).toEqual(
      expect.arrayContaining(['360p/index.m3u8', '240p/index.m3u8']),
    );

    // The registry names A at its default node URL (http://127.0.0.1:<port>).
    const key = `${prefix}media:holder:${id}`;
    const entry = JSON.parse((await cluster.redis.get(key)) ?? '{}');
    expect(entry.url).toBe(nodeA.url);

    // Every rendition's live playlist from B is valid LL-HLS.
    for (const variant of variants) {
      const playlist = await get(nodeB.url, `${hls}/${variant.uri}`);
      expect(playlist.status, variant.uri).toBe(200);
      expect(playlist.headers.get('cache-control'), variant.uri).toBe('no-cache');
      validateLlHlsMedia(playlist.body.toString());
    }

    // A blocking reload on B for the part the preload hint names returns once it exists.
    const rendition = `${hls}/${variants[0]?.uri.split('/')[0]}`;
    const before = await text(nodeB.url, `${rendition}/index.m3u8`);
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(\d+)\.(\d+)\.m4s"/.exec(before);
    expect(hint).not.toBeNull();
    const [msn, part] = [Number(hint?.[1]), Number(hint?.[2])];
    const blocked = await get(
      nodeB.url,
      `${rendition}/index.m3u8?_HLS_msn=${msn}&_HLS_part=${part}`,
    );
    expect(blocked.status).toBe(200);
    expect(blocked.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const after = blocked.body.toString();
    expect(after).toMatch(new RegExp(`#EXT-X-PART:[^\\n]*URI="${msn}\\.${part}\\.m4s"`));
    validateLlHlsMedia(after);

    // That part, its init segment and a whole segment: the same bytes from B as from A.
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(after)?.[1];
    const segment = /^(\d+)\.m4s$/m.exec(after)?.[1];
    for (const file of [`${msn}.${part}.m4s`, init, `${segment}.m4s`]) {
      const [fromA, fromB] = await Promise.all([
        get(nodeA.url, `${rendition}/${file}`),
        get(nodeB.url, `${rendition}/${file}`),
      ]);
      expect(fromB.status, file).toBe(200);
      expect(fromB.body.length, file).toBeGreaterThan(0);
      expect(fromB.body.equals(fromA.body), file).toBe(true);
      expect(fromB.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
      expect(fromB.headers.get('content-type'), file).toBe(fromA.headers.get('content-type'));
    }
    // A viewer asks B for a clip of the last seconds: A (holding the media) cuts and keeps it.
    const viewer = await cluster.token(nodeB, 'Clipper');
    const live = await clip(nodeB.url, id, viewer, { durationSeconds: 5 });
    expect(live.status, JSON.stringify(live.body)).toBe(201);
    await clipAcross(nodeA, folders.a as string, live.body.id, live.body.url, viewer);

    // B does not proxy a request another node forwarded: it has nothing of its own.
    const marked = await fetch(`${nodeB.url}${hls}/master.m3u8`, {
      headers: { [PROXIED_HEADER]: 'node_elsewhere' },
    });
    expect(marked.status).toBe(404);

    // A crashes: B answers 503 while the entry lives, then 404 (no holder) within the TTL.
    // Claimed well over a TTL ago (the first segments took longer): renewed since.
    const left = await cluster.redis.pttl(key);
    expect(left, 'ms left of the registry entry when A is killed').toBeGreaterThan(0);
    const killedAt = Date.now();
    nodeA.process.kill('SIGKILL');
    const statuses: number[] = [];
    let last: { status: number; body: Buffer } | undefined;
    while (Date.now() - killedAt < REGISTRY_TTL_MS + 3_000) {
      last = await get(nodeB.url, `${hls}/master.m3u8`);
      statuses.push(last.status);
      if (last.status === 404) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const elapsed = Date.now() - killedAt;
    const seen = `${elapsed} ms after the kill (entry had ${left} ms left): ${statuses.join(' ')}`;
    expect(last?.status, seen).toBe(404);
    expect(JSON.parse(last?.body.toString() ?? '{}').code).toBe('NOT_FOUND');
    // No sooner than the entry expired, and within the TTL (plus polling on a busy machine).
    expect(elapsed, seen).toBeGreaterThanOrEqual(left - 200);
    expect(elapsed, seen).toBeLessThan(REGISTRY_TTL_MS + 1_500);
    expect(
      statuses.slice(0, -1).every((status) => status === 503),
      seen,
    ).toBe(true);
  }, 60_000);
});

describe('A replay across two server processes (each with its own media folder)', () => {
  it('serves C’s recording from B once the stream ended, and 503 while C is down', async () => {
    // C records to its own temporary folder; B's folder never has the files.
    // A thumbnail a second, so the few seconds recorded have a poster.
    folders.c = await mkdtemp(join(tmpdir(), 'onair-node-c-'));
    const nodeC = await cluster.startNode({
      media: { rtmpPort: 0, thumbnailSeconds: 1, hlsDir: folders.c },
    });
    const token = await cluster.token(nodeC, 'Replay host');
    const { id, streamKey } = await publicStream(nodeC, token, { recording: true });
    const encoder = publishRtmp(`${nodeC.rtmpUrl}/${streamKey}`, { seconds: 50 });
    cluster.adopt(encoder);
    const hls = `/hls/${id}`;
    await expect
      .poll(async () => (await get(nodeC.url, `${hls}/master.m3u8`)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    // Two segments of 2 s at least, then the owner ends the stream.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // While live, B times the chat replay (rewinding) with the runs C holds, as C does.
    const replay = `/v1/streams/${id}/replay?from=0&to=300`;
    // So does a node that runs no media (API only): it finds the holder in the registry.
    const apiOnly = await cluster.startNode({ media: { enabled: false } });
    const liveOfC = await get(nodeC.url, replay);
    const liveOfB = await get(nodeB.url, replay);
    const liveOfApi = await get(apiOnly.url, replay);
    expect(liveOfC.status, liveOfC.body.toString()).toBe(200);
    expect(liveOfB.status, liveOfB.body.toString()).toBe(200);
    expect(JSON.parse(liveOfB.body.toString())).toEqual(JSON.parse(liveOfC.body.toString()));
    expect(liveOfApi.status, liveOfApi.body.toString()).toBe(200);
    expect(JSON.parse(liveOfApi.body.toString())).toEqual(JSON.parse(liveOfC.body.toString()));
    // A clip of the live stream asked of it is cut by C.
    const liveClip = await clip(apiOnly.url, id, token, { durationSeconds: 5 });
    expect(liveClip.status, JSON.stringify(liveClip.body)).toBe(201);
    expect(existsSync(join(folders.c as string, '.clips', liveClip.body.id, 'clip.mp4'))).toBe(
      true,
    );
    const ended = await fetch(`${nodeC.url}/v1/streams/${id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ended.status).toBe(200);
    encoder.kill('SIGKILL');
    await expect
      .poll(
        async () => {
          const stream = await fetch(`${nodeB.url}/v1/streams/${id}`);
          return ((await stream.json()) as { recordingUrl: string | null }).recordingUrl;
        },
        { timeout: 20_000, interval: 300 },
      )
      .toBe(`/hls/${id}/master.m3u8`);
    // The registry no longer names a holder: B answers from the node that recorded it.
    expect(await cluster.redis.get(`${prefix}media:holder:${id}`)).toBeNull();

    const [master, masterOfC] = await Promise.all([
      get(nodeB.url, `${hls}/master.m3u8`),
      get(nodeC.url, `${hls}/master.m3u8`),
    ]);
    expect(master.status).toBe(200);
    expect(master.body.toString()).toBe(masterOfC.body.toString());
    expect(master.headers.get('cache-control')).toBe(masterOfC.headers.get('cache-control'));
    const variant = validateMaster(master.body.toString()).variants[0]?.uri ?? '';
    const playlist = await get(nodeB.url, `${hls}/${variant}`);
    expect(playlist.status).toBe(200);
    expect(playlist.body.toString()).toContain('#EXT-X-ENDLIST');
    const rendition = `${hls}/${variant.split('/')[0]}`;
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist.body.toString())?.[1];
    const segment = /^(\d+)\.m4s$/m.exec(playlist.body.toString())?.[1];
    for (const path of [
      `${rendition}/${init}`,
      `${rendition}/${segment}.m4s`,
      `${hls}/poster.jpg`,
    ]) {
      const [fromC, fromB] = await Promise.all([get(nodeC.url, path), get(nodeB.url, path)]);
      expect(fromC.status, path).toBe(200);
      expect(fromB.status, path).toBe(200);
      expect(fromB.body.equals(fromC.body), path).toBe(true);
      expect(fromB.headers.get('content-type'), path).toBe(fromC.headers.get('content-type'));
    }
    // What the recording never had stays a 404, from C's answer.
    const missing = await get(nodeB.url, `${rendition}/999999.m4s`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).code).toBe('NOT_FOUND');

    // A clip of the recording asked of B is cut by C, from its disk.
    const recorded = await clip(nodeB.url, id, token, { startSeconds: 0, durationSeconds: 5 });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    await clipAcross(nodeC, folders.c as string, recorded.body.id, recorded.body.url, token);
    // Two more by a viewer (a clip rate of their own), kept by C: one is deleted while C is
    // down (below), one stays.
    const fan = await cluster.token(nodeB, 'Clipping fan');
    const [doomed, kept] = await Promise.all(
      [0, 1].map(async (start) => {
        const made = await clip(nodeB.url, id, fan, { startSeconds: start, durationSeconds: 5 });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
        return join(folders.c as string, '.clips', made.body.id);
      }),
    );

    // The replay's timing (the recording's runs) comes from C too: B answers as C does.
    const [replayOfB, replayOfC] = await Promise.all([
      get(nodeB.url, replay),
      get(nodeC.url, replay),
    ]);
    expect(replayOfC.status).toBe(200);
    expect(replayOfB.status, replayOfB.body.toString()).toBe(200);
    expect(JSON.parse(replayOfB.body.toString())).toEqual(JSON.parse(replayOfC.body.toString()));
    // And the API-only node, once ended: it finds the recorder in the database.
    const replayOfApi = await get(apiOnly.url, replay);
    expect(replayOfApi.status, replayOfApi.body.toString()).toBe(200);
    expect(JSON.parse(replayOfApi.body.toString())).toEqual(JSON.parse(replayOfC.body.toString()));
    // Only a node may ask for those runs: an unsigned or forged request is refused.
    for (const link of [undefined, `${Date.now() + 10_000}.forged`]) {
      const asked = await fetch(`${nodeC.url}/internal/recordings/${id}/spans`, {
        headers: link ? { 'x-onair-node-link': link } : {},
      });
      expect(asked.status, link).toBe(401);
    }

    // C is down: B says so (retry later), not that the replay does not exist.
    nodeC.process.kill('SIGKILL');
    await new Promise((resolve) => nodeC.process.once('exit', resolve));
    const down = await get(nodeB.url, `${hls}/master.m3u8`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body.toString()).code).toBe('MEDIA_UNAVAILABLE');

    // A clip deleted while C is down goes at once; its files stay on C's disk until C is back.
    const doomedId = doomed?.split('/').at(-1) ?? '';
    const deleted = await fetch(`${nodeB.url}/v1/clips/${doomedId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(deleted.status).toBe(204);
    expect((await get(nodeB.url, `/v1/clips/${doomedId}`)).status).toBe(404);
    expect(existsSync(join(doomed ?? '', 'clip.mp4'))).toBe(true);
    // C comes back at its address: it deletes them, and only them.
    await cluster.startNode({
      port: Number(new URL(nodeC.url).port),
      media: { rtmpPort: 0, hlsDir: folders.c },
    });
    await expect
      .poll(() => existsSync(doomed ?? ''), { timeout: 10_000, interval: 200 })
      .toBe(false);
    expect(existsSync(join(kept ?? '', 'clip.mp4'))).toBe(true);
    expect(existsSync(join(folders.c as string, id, 'master.m3u8'))).toBe(true);
  }, 120_000);
});
