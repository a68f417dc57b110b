import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRange, CutClip } from '../../media/clips/cutter.js';
import { LINK_HEADER, NodeLinks } from '../../media/cluster/node-links.js';
import { createHttpApp } from '../../transport/http/app.js';
import { ClipNodes, registerClipNodeRoutes } from './node-routes.js';

/*
 * The node-side clip routes on a real HTTP server, asked by the client
 * another node uses: a signed cut runs here and its result or refusal goes
 * back typed; an unsigned, forged or altered request runs nothing.
 */
const SECRET = 'a shared stream-key secret of the deployment';
const asked: Array<{ streamId: string; clipId: string; range: ClipRange }> = [];
const dropped: string[] = [];
let app: FastifyInstance;
let url: string;
/** Another node's links (what it signs is for the node it asks). */
const asker = new NodeLinks(SECRET, () => 'http://127.0.0.1:1');

beforeAll(async () => {
  app = await createHttpApp({ logLevel: 'silent', corsOrigins: [], trustProxy: false });
  registerClipNodeRoutes(app, {
    links: new NodeLinks(SECRET, () => url),
    clips: {
      cutHere: async (streamId, clipId, range) => {
        asked.push({ streamId, clipId, range });
        if (streamId === 'str_slowslowslow1') await new Promise((r) => setTimeout(r, 500));
        // A node of another version, say: an answer this node cannot read.
        if (streamId === 'str_brokenanswer1') return { startSeconds: 'soon' } as unknown as CutClip;
        if (streamId === 'str_busybusybusy1') {
          throw new OnAirError('RATE_LIMITED', 'The server is busy cutting clips: try again', {
            retryAfterSeconds: 5,
          });
        }
        return { startSeconds: 12.5, durationSeconds: 20, poster: true };
      },
      dropFilesHere: async (clipId) => {
        dropped.push(clipId);
        return true;
      },
      cutting: (clipId) => clipId === 'clp_beingcut00001',
    },
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app?.close());

describe('clips cut and deleted for another node', () => {
  it('cuts what a signed request asks and returns the cut', async () => {
    const nodes = new ClipNodes(asker);
    const range = { start: 10, seconds: 20 };
    const made = await nodes.cut(url, 'str_clipnodes001', 'clp_clipnodes001', range);
    expect(made).toEqual({ startSeconds: 12.5, durationSeconds: 20, poster: true });
    expect(asked).toEqual([{ streamId: 'str_clipnodes001', clipId: 'clp_clipnodes001', range }]);
  });

  it('sends the cutter’s refusal back typed', async () => {
    const nodes = new ClipNodes(asker);
    const refused = nodes.cut(url, 'str_busybusybusy1', 'clp_clipnodes002', { last: 30 });
    await expect(refused).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 5 },
    });
  });

  it('runs nothing for an unsigned, forged or altered request, or one signed for another node', async () => {
    asked.length = 0;
    const body = JSON.stringify({ streamId: 'str_clipnodes001', range: { last: 30 } });
    const purpose = `cut|clp_clipnodes003|${body}`;
    const signed = asker.sign(purpose, url);
    const altered = JSON.stringify({ streamId: 'str_clipnodes001', range: { last: 60 } });
    for (const [link, sent] of [
      [undefined, body],
      [new NodeLinks('another secret', () => undefined).sign(purpose, url), body],
      [signed, altered],
      // Seen on its way to another node of the deployment, replayed here.
      [asker.sign(purpose, 'http://127.0.0.1:2'), body],
    ] as const) {
      const response = await fetch(`${url}/internal/clips/clp_clipnodes003/cut`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(link ? { [LINK_HEADER]: link } : {}) },
        body: sent,
      });
      expect(response.status).toBe(401);
    }
    for (const link of [undefined, asker.sign('drop|clp_clipnodes003', 'http://127.0.0.1:2')]) {
      const drop = await fetch(`${url}/internal/clips/clp_clipnodes003/files`, {
        method: 'DELETE',
        headers: link ? { [LINK_HEADER]: link } : {},
      });
      expect(drop.status).toBe(401);
    }
    expect(asked).toEqual([]);
    expect(dropped).toEqual([]);
  });

  it('deletes the files of a cut the asking node stopped waiting for (it stores no clip)', async () => {
    const body = JSON.stringify({ streamId: 'str_slowslowslow1', range: { last: 30 } });
    const gaveUp = fetch(`${url}/internal/clips/clp_clipnodes006/cut`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [LINK_HEADER]: asker.sign(`cut|clp_clipnodes006|${body}`, url),
      },
      body,
      signal: AbortSignal.timeout(100),
    });
    await expect(gaveUp).rejects.toThrow();
    await expect.poll(() => dropped).toContain('clp_clipnodes006');
    // One that waited keeps its files.
    await new ClipNodes(asker).cut(url, 'str_slowslowslow1', 'clp_clipnodes007', { last: 30 });
    expect(dropped).not.toContain('clp_clipnodes007');
  });

  it('says MEDIA_UNAVAILABLE for a cut whose answer it could not read (the service has it deleted)', async () => {
    dropped.length = 0;
    const unread = new ClipNodes(asker).cut(url, 'str_brokenanswer1', 'clp_clipnodes008', {
      last: 30,
    });
    await expect(unread).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
    // A refusal comes back as it was.
    const refused = new ClipNodes(asker).cut(url, 'str_busybusybusy1', 'clp_clipnodes009', {
      last: 30,
    });
    await expect(refused).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(dropped).toEqual([]);
  });

  it('deletes a clip’s files when asked, and says when the node did not answer', async () => {
    const nodes = new ClipNodes(asker);
    dropped.length = 0;
    expect(await nodes.drop(url, 'clp_clipnodes004')).toBe(true);
    expect(dropped).toEqual(['clp_clipnodes004']);
    // Still being cut here: refused (the asker keeps its tombstone), nothing deleted yet.
    expect(await nodes.drop(url, 'clp_beingcut00001')).toBe(false);
    const refused = await fetch(`${url}/internal/clips/clp_beingcut00001/files`, {
      method: 'DELETE',
      headers: { [LINK_HEADER]: asker.sign('drop|clp_beingcut00001', url) },
    });
    expect(refused.status).toBe(409);
    expect(dropped).toEqual(['clp_clipnodes004']);
    // A node that is gone: the files stay there (reported), the cut is MEDIA_UNAVAILABLE.
    const gone = 'http://127.0.0.1:9';
    expect(await nodes.drop(gone, 'clp_clipnodes005')).toBe(false);
    await expect(
      nodes.cut(gone, 'str_clipnodes001', 'clp_clipnodes005', { last: 30 }),
    ).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
  });
});
