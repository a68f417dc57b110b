import { randomBytes } from 'node:crypto';
import type { OnAirServer } from '@onair/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer } from '../../test/real-server.js';
import { OnAirError } from '../errors.js';
import { OnAirClient } from '../transport/client.js';
import { StageStore } from './stage-store.js';

// A real server: the store is thin over the wire, so the wire is what to test.
let server: OnAirServer;
const clients: OnAirClient[] = [];
const HOST_ID = 'usr_stage_host';

/** A signed-in client, and the requests it sends (`METHOD /path`). */
interface Person {
  client: OnAirClient;
  userId: string;
  requests: string[];
}

async function person(
  name: string,
  userId = `usr_${name.toLowerCase()}_${randomBytes(3).toString('hex')}`,
): Promise<Person> {
  const token = await server.issueToken(userId, name);
  const requests: string[] = [];
  const client = new OnAirClient({
    baseUrl: server.url,
    token,
    fetch: (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return globalThis.fetch(input, init);
    },
  });
  clients.push(client);
  return { client, userId, requests };
}

/** A stage store of `who` with a listener (the store works while listened to). */
function stageOf(who: Person, streamId: string): StageStore {
  const store = new StageStore(who.client, streamId, { userId: who.userId });
  offs.push(store.subscribe(() => {}));
  return store;
}

const offs: Array<() => void> = [];
let host: Person;

async function liveStream(): Promise<string> {
  const { stream } = await host.client.streams.create({ title: 'Stage' });
  await host.client.streams.start(stream.id);
  return stream.id;
}

/** Pushes a frame to `who`'s client as if the server had sent it. */
function pushFromServer(who: Person, name: string, payload: unknown): void {
  const socket = (
    who.client.realtime as unknown as {
      socket: { listenersAny(): Array<(name: string, payload: unknown) => void> };
    }
  ).socket;
  for (const listener of socket.listenersAny()) listener(name, payload);
}

const settle = (ok: () => boolean) => expect.poll(ok, { timeout: 3000 }).toBe(true);
const ids = (list: ReadonlyArray<{ user: { id: string } }> | undefined) =>
  list?.map((entry) => entry.user.id);

beforeAll(async () => {
  server = await startRealServer({
    // The owner and one more: the second invitation is refused.
    stage: { limit: 2 },
  });
  host = await person('Host', HOST_ID);
});
afterAll(async () => {
  for (const off of offs) off();
  for (const client of clients) client.destroy();
  await server?.close();
});

describe('StageStore over a real server', () => {
  it('loads the stage when joined and places the caller on it', async () => {
    const streamId = await liveStream();
    const viewer = await person('Viewer');
    const hostStage = stageOf(host, streamId);
    const viewerStage = stageOf(viewer, streamId);
    await settle(() => hostStage.getSnapshot().status === 'ready');
    await settle(() => viewerStage.getSnapshot().status === 'ready');

    expect(hostStage.getSnapshot()).toEqual({
      status: 'ready',
      stage: { streamId, limit: 2, layout: 'grid', members: [], hands: [] },
      onStage: true,
      myRole: 'host',
      handRaised: false,
      error: null,
    });
    expect(viewerStage.getSnapshot()).toMatchObject({
      onStage: false,
      myRole: null,
      handRaised: false,
    });
    expect(viewer.requests).toEqual([`GET /v1/streams/${streamId}/stage`]);
  });

  it('raises a hand, brings it on stage, mutes, and the member leaves', async () => {
    const streamId = await liveStream();
    const ana = await person('Ana');
    const hostStage = stageOf(host, streamId);
    const anaStage = stageOf(ana, streamId);
    await settle(() => anaStage.getSnapshot().status === 'ready');
    await settle(() => hostStage.getSnapshot().status === 'ready');

    await anaStage.raiseHand();
    expect(ana.requests.at(-1)).toBe(`POST /v1/streams/${streamId}/stage/hand`);
    // Each side learns of the hand from `stage:updated`.
    await settle(() => anaStage.getSnapshot().handRaised);
    await settle(() => ids(hostStage.getSnapshot().stage?.hands)?.includes(ana.userId) === true);

    const invited = await hostStage.invite(ana.userId, 'guest');
    expect(host.requests.at(-1)).toBe(`PUT /v1/streams/${streamId}/stage/members/${ana.userId}`);
    expect(invited.members).toMatchObject([
      { user: { id: ana.userId }, role: 'guest', mutedByHost: false },
    ]);
    expect(invited.hands).toEqual([]);
    await settle(() => ids(hostStage.getSnapshot().stage?.members)?.includes(ana.userId) === true);
    await settle(() => anaStage.getSnapshot().myRole === 'guest');
    expect(anaStage.getSnapshot()).toMatchObject({ onStage: true, handRaised: false });

    const muted = await hostStage.setMuted(ana.userId, true);
    expect(host.requests.at(-1)).toBe(`PATCH /v1/streams/${streamId}/stage/members/${ana.userId}`);
    expect(muted.members[0]?.mutedByHost).toBe(true);
    await settle(() => hostStage.getSnapshot().stage?.members[0]?.mutedByHost === true);
    await settle(() => anaStage.getSnapshot().stage?.members[0]?.mutedByHost === true);

    // The layout of the composed picture: the host's to set, everyone's to see.
    expect((await hostStage.setLayout('speaker')).layout).toBe('speaker');
    expect(host.requests.at(-1)).toBe(`PATCH /v1/streams/${streamId}/stage`);
    await settle(() => anaStage.getSnapshot().stage?.layout === 'speaker');
    await expect(anaStage.setLayout('grid')).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await anaStage.leave();
    expect(ana.requests.at(-1)).toBe(`DELETE /v1/streams/${streamId}/stage/members/${ana.userId}`);
    await settle(() => !anaStage.getSnapshot().onStage);
    expect(anaStage.getSnapshot().myRole).toBeNull();
    await settle(() => hostStage.getSnapshot().stage?.members.length === 0);
  });

  it("lowers hands (one's own, or anyone's for the owner) and removes members", async () => {
    const streamId = await liveStream();
    const [ben, cai] = await Promise.all([person('Ben'), person('Cai')]);
    const hostStage = stageOf(host, streamId);
    const benStage = stageOf(ben, streamId);
    const caiStage = stageOf(cai, streamId);
    await settle(() => benStage.getSnapshot().status === 'ready');
    await settle(() => caiStage.getSnapshot().status === 'ready');

    await benStage.raiseHand();
    await caiStage.raiseHand();
    await settle(() => hostStage.getSnapshot().stage?.hands.length === 2);
    // A viewer sees their own hand only.
    await settle(() => caiStage.getSnapshot().handRaised);
    expect(ids(caiStage.getSnapshot().stage?.hands)).toEqual([cai.userId]);

    await benStage.lowerHand();
    expect(ben.requests.at(-1)).toBe(`DELETE /v1/streams/${streamId}/stage/hands/${ben.userId}`);
    await settle(() => !benStage.getSnapshot().handRaised);
    await hostStage.lowerHand(cai.userId);
    expect(host.requests.at(-1)).toBe(`DELETE /v1/streams/${streamId}/stage/hands/${cai.userId}`);
    await settle(() => !caiStage.getSnapshot().handRaised);
    await settle(() => hostStage.getSnapshot().stage?.hands.length === 0);

    await hostStage.invite(cai.userId, 'cohost');
    await settle(() => caiStage.getSnapshot().myRole === 'cohost');
    await hostStage.remove(cai.userId);
    expect(host.requests.at(-1)).toBe(`DELETE /v1/streams/${streamId}/stage/members/${cai.userId}`);
    await settle(() => !caiStage.getSnapshot().onStage);
    await settle(() => hostStage.getSnapshot().stage?.members.length === 0);
  });

  it('applies a valid `stage:updated` of its stream only, and ignores an invalid one', async () => {
    const streamId = await liveStream();
    const dee = await person('Dee');
    const deeStage = stageOf(dee, streamId);
    await settle(() => deeStage.getSnapshot().status === 'ready');
    const before = deeStage.getSnapshot();

    pushFromServer(dee, 'stage:updated', { streamId, limit: 'six', members: [], hands: [] });
    pushFromServer(dee, 'stage:updated', { streamId, limit: 2, members: [{ user: dee.userId }] });
    pushFromServer(dee, 'stage:updated', {
      streamId: 'str_someone_else',
      limit: 2,
      members: [],
      hands: [{ user: { id: dee.userId, displayName: 'Dee' }, raisedAt: new Date().toISOString() }],
    });
    expect(deeStage.getSnapshot()).toBe(before);

    const member = {
      user: { id: dee.userId, displayName: 'Dee' },
      role: 'cohost',
      invitedAt: new Date().toISOString(),
      mutedByHost: false,
      publishing: false,
    };
    pushFromServer(dee, 'stage:updated', {
      streamId,
      limit: 2,
      layout: 'speaker',
      members: [member],
      hands: [],
    });
    expect(deeStage.getSnapshot()).toMatchObject({
      stage: { layout: 'speaker', members: [member] },
      onStage: true,
      myRole: 'cohost',
    });
  });

  it('loads again after a reconnection that could not be recovered', async () => {
    const streamId = await liveStream();
    const eve = await person('Eve');
    const eveStage = stageOf(eve, streamId);
    await settle(() => eveStage.getSnapshot().status === 'ready');
    const load = `GET /v1/streams/${streamId}/stage`;
    expect(eve.requests.filter((r) => r === load)).toHaveLength(1);

    const socket = (
      eve.client.realtime as unknown as {
        socket: { _pid?: string | undefined; io: { engine: { close(): void } } };
      }
    ).socket;
    socket._pid = undefined;
    socket.io.engine.close();
    await settle(() => eve.requests.filter((r) => r === load).length === 2);
    await settle(() => eveStage.getSnapshot().status === 'ready');
  });

  it('rejects refusals with the typed error and keeps it in the state', async () => {
    const streamId = await liveStream();
    const [fay, gus, hal] = await Promise.all([person('Fay'), person('Gus'), person('Hal')]);
    const hostStage = stageOf(host, streamId);
    const fayStage = stageOf(fay, streamId);
    const gusStage = stageOf(gus, streamId);
    const halStage = stageOf(hal, streamId);
    await settle(() => hostStage.getSnapshot().status === 'ready');
    await settle(() => halStage.getSnapshot().status === 'ready');
    await settle(() => fayStage.getSnapshot().status === 'ready');
    await settle(() => gusStage.getSnapshot().status === 'ready');

    const forbidden = fayStage.invite(gus.userId, 'cohost');
    await expect(forbidden).rejects.toBeInstanceOf(OnAirError);
    await expect(forbidden).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(fayStage.getSnapshot().error?.code).toBe('FORBIDDEN');

    await hostStage.invite(gus.userId, 'guest');
    // The owner and Gus fill a stage of two.
    const full = hostStage.invite(hal.userId, 'guest');
    await expect(full).rejects.toBeInstanceOf(OnAirError);
    await expect(full).rejects.toMatchObject({
      code: 'STREAM_FULL',
      details: { stageLimit: 2 },
    });
    expect(hostStage.getSnapshot().error?.code).toBe('STREAM_FULL');
    await settle(() => ids(hostStage.getSnapshot().stage?.members)?.join() === gus.userId);

    // Without the caller's id there is no "self" to act for: refused before any request.
    const anonymous = new StageStore(fay.client, streamId, { userId: null });
    const sent = fay.requests.length;
    await expect(anonymous.leave()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(anonymous.lowerHand()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(fay.requests).toHaveLength(sent);
  });
});
