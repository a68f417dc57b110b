import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stream, WebhookEvent } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelStore } from '../backend/channels.js';
import { createWebhookReceiver, WEBHOOK_PATH } from '../backend/onair-webhook.js';
import { createRequestHandler } from '../backend/routes.js';
import { SessionStore } from '../backend/sessions.js';

/*
 * The app's webhook endpoint on its own, behind the app's real routes: only
 * deliveries signed with the shared secret change a channel, a repeated
 * delivery changes it once, and a late or out-of-order one changes nothing.
 */
const SECRET = 'team-chat-webhook-test-secret';
let server: Server;
let url: string;
let channels: ChannelStore;
const sessions = new SessionStore();
let nextId = 0;

beforeAll(async () => {
  channels = new ChannelStore([{ id: 'general', name: '#general' }]);
  server = createServer(
    createRequestHandler({
      staticDir: '/nonexistent',
      signToken: () => Promise.resolve('unused'),
      channels,
      onairUrl: () => 'http://127.0.0.1:9',
      sessions,
      origins: [],
      webhook: createWebhookReceiver(channels, SECRET),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
});
afterAll(async () => {
  sessions.close();
  await new Promise((resolve) => server.close(resolve));
});

/** A stream of #general as OnAir's webhooks carry it. */
function streamOf(id: string, status: Stream['status'], extra: Partial<Stream> = {}): Stream {
  return {
    id,
    owner: { id: 'mia', displayName: 'Mia' },
    title: 'Design review',
    description: '',
    status,
    privacy: 'public',
    scheduledAt: null,
    startedAt: null,
    endedAt: null,
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    hlsUrl: null,
    recordingUrl: null,
    category: null,
    tags: [],
    thumbnailUrl: null,
    qualityPreset: '720p',
    recording: true,
    viewerLimit: null,
    chat: { enabled: true, mode: 'open', slowModeSeconds: 0, emoteOnly: false },
    reactionsEnabled: true,
    qnaEnabled: false,
    viewerCount: 0,
    externalId: 'general',
    ...extra,
  } as Stream;
}

/** Posts an event signed with `secret`; resolves the status. */
async function deliver(
  type: WebhookEvent['type'],
  stream: Stream,
  options: { id?: string; secret?: string; body?: string } = {},
): Promise<number> {
  nextId += 1;
  const event = {
    id: options.id ?? `evt_${nextId}`,
    type,
    createdAt: new Date().toISOString(),
    data: { stream },
  };
  const body = options.body ?? JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', options.secret ?? SECRET)
    .update(`${t}.${body}`)
    .digest('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'onair-signature': `t=${t},v1=${mac}` },
    body,
  });
  return response.status;
}

const general = () => channels.list()[0];
const systemMessages = () =>
  channels
    .messages('general')
    .filter((message) => message.kind === 'system')
    .map((m) => m.text);

describe('the OnAir webhook endpoint', () => {
  it('follows a channel stream from scheduled to live to past, once per event', async () => {
    const scheduledAt = '2026-12-24T10:00:00.000Z';
    const scheduled = streamOf('str_sched', 'scheduled', { scheduledAt });
    expect(await deliver('stream.scheduled', scheduled, { id: 'evt_fixed' })).toBe(204);
    // The same event again (OnAir delivers at least once): listed once.
    expect(await deliver('stream.scheduled', scheduled, { id: 'evt_fixed' })).toBe(204);
    expect(general()?.upcoming.map((s) => [s.streamId, s.scheduledAt])).toEqual([
      ['str_sched', scheduledAt],
    ]);

    expect(await deliver('stream.started', streamOf('str_sched', 'live'))).toBe(204);
    expect(general()?.live?.streamId).toBe('str_sched');
    expect(general()?.upcoming).toEqual([]);
    const endedAt = '2026-12-24T11:00:00.000Z';
    expect(await deliver('stream.ended', streamOf('str_sched', 'ended', { endedAt }))).toBe(204);
    // A retried start arriving after the end changes nothing.
    expect(await deliver('stream.started', streamOf('str_sched', 'live'))).toBe(204);
    expect(general()?.live).toBeNull();
    expect(general()?.past.map((s) => [s.streamId, s.endedAt, s.recorded])).toEqual([
      ['str_sched', endedAt, true],
    ]);
    expect(systemMessages()).toEqual(['🔴 Mia is live: Design review', "Mia's live stream ended"]);
  });

  it('moves a rescheduled stream, drops a cancelled one, and keeps two live streams apart', async () => {
    const at = (day: number) => `2026-12-${day}T10:00:00.000Z`;
    await deliver('stream.scheduled', streamOf('str_a', 'scheduled', { scheduledAt: at(20) }));
    await deliver('stream.scheduled', streamOf('str_b', 'scheduled', { scheduledAt: at(21) }));
    // A moves after B: the list follows, once each.
    await deliver('stream.scheduled', streamOf('str_a', 'scheduled', { scheduledAt: at(22) }));
    expect(general()?.upcoming.map((s) => [s.streamId, s.scheduledAt])).toEqual([
      ['str_b', at(21)],
      ['str_a', at(22)],
    ]);
    await deliver('stream.cancelled', streamOf('str_a', 'cancelled'));
    expect(general()?.upcoming.map((s) => s.streamId)).toEqual(['str_b']);

    // Two hosts live at once: the banner shows the latest; when it ends, the other again.
    const noah = { owner: { id: 'noah', displayName: 'Noah' } };
    await deliver('stream.started', streamOf('str_one', 'live', noah));
    await deliver('stream.started', streamOf('str_two', 'live'));
    expect(general()?.live?.streamId).toBe('str_two');
    await deliver('stream.ended', streamOf('str_two', 'ended'));
    expect(general()?.live?.streamId).toBe('str_one');
    await deliver('stream.ended', streamOf('str_one', 'ended', noah));
    expect(general()?.live).toBeNull();
    expect(systemMessages().slice(-4)).toEqual([
      '🔴 Noah is live: Design review',
      '🔴 Mia is live: Design review',
      "Mia's live stream ended",
      "Noah's live stream ended",
    ]);
  });

  it('refuses forged, altered and unsigned deliveries with 401, and ignores other channels', async () => {
    const before = JSON.stringify(channels.list());
    const live = streamOf('str_forged', 'live');
    expect(await deliver('stream.started', live, { secret: 'not-the-secret' })).toBe(401);
    const altered = await fetch(url, {
      method: 'POST',
      headers: { 'onair-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: '{}',
    });
    expect(altered.status).toBe(401);
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(url)).status).toBe(405);
    // Signed but not an event: a typed 422; a stream of no channel of the app: nothing changes.
    expect(await deliver('stream.started', live, { body: '{"not":"an event"}' })).toBe(422);
    expect(
      await deliver('stream.started', streamOf('str_other', 'live', { externalId: 'x' })),
    ).toBe(204);
    expect(JSON.stringify(channels.list())).toBe(before);
  });
});
