import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { npmFfmpegPath } from '../media/ffmpeg-binary.js';
import { resolveOptions } from './config.js';

describe('resolveOptions', () => {
  it('fills in stream defaults and keeps the ones given', () => {
    expect(resolveOptions({ devAuth: true }).streamDefaults).toEqual({
      qnaEnabled: false,
      reactionsEnabled: true,
    });
    expect(
      resolveOptions({ devAuth: true, streamDefaults: { qnaEnabled: true } }).streamDefaults,
    ).toEqual({ qnaEnabled: true, reactionsEnabled: true });
  });

  it("fills in the inboxes' retention and checks it", () => {
    expect(resolveOptions({ devAuth: true }).notifications).toMatchObject({
      inboxLimit: 500,
      retentionDays: 90,
      retentionCheckMs: 86_400_000,
    });
    expect(() => resolveOptions({ devAuth: true, notifications: { inboxLimit: 0 } })).toThrow(
      'OnAir server: notifications.inboxLimit must be 1–10000 notifications',
    );
    expect(() => resolveOptions({ devAuth: true, notifications: { retentionDays: 1.5 } })).toThrow(
      'OnAir server: notifications.retentionDays must be 1–3650 days',
    );
    expect(() =>
      resolveOptions({ devAuth: true, notifications: { retentionCheckMs: 86_400_001 } }),
    ).toThrow('OnAir server: notifications.retentionCheckMs must be 50–86400000 ms');
  });

  it('refuses a whole-number setting out of its range or with a fraction, and takes its bounds', () => {
    const cases: Array<
      [string, (n: number) => Parameters<typeof resolveOptions>[0], number, number]
    > = [
      ['analytics.retentionDays', (n) => ({ analytics: { retentionDays: n } }), 1, 1e6],
      ['analytics.liveIntervalMs', (n) => ({ analytics: { liveIntervalMs: n } }), 1000, 60_000],
      ['analytics.summaryDelayMs', (n) => ({ analytics: { summaryDelayMs: n } }), 0, 300_000],
      ['stage.limit', (n) => ({ stage: { limit: n } }), 2, 16],
      [
        'notifications.reminderLeadMinutes',
        (n) => ({ notifications: { reminderLeadMinutes: n } }),
        0,
        1440,
      ],
      [
        'notifications.reminderCheckMs',
        (n) => ({ notifications: { reminderCheckMs: n } }),
        50,
        600_000,
      ],
      ['notifications.inboxLimit', (n) => ({ notifications: { inboxLimit: n } }), 1, 10_000],
      ['notifications.retentionDays', (n) => ({ notifications: { retentionDays: n } }), 1, 3650],
      [
        'notifications.retentionCheckMs',
        (n) => ({ notifications: { retentionCheckMs: n } }),
        50,
        86_400_000,
      ],
      ['maxConnectionsPerIp', (n) => ({ maxConnectionsPerIp: n }), 0, 1e6],
      [
        'media.maxRealtimeStreamsPerConnection',
        (n) => ({ media: { maxRealtimeStreamsPerConnection: n } }),
        1,
        1e6,
      ],
    ];
    for (const [name, options, min, max] of cases) {
      const resolve = (n: number) => () => resolveOptions({ devAuth: true, ...options(n) });
      for (const n of [min, max]) expect(resolve(n), `${name} = ${n}`).not.toThrow();
      for (const n of [min - 1, min + 0.5, Number.NaN]) {
        expect(resolve(n), `${name} = ${n}`).toThrow(`OnAir server: ${name} must be`);
      }
    }
    expect(() => resolveOptions({ devAuth: true, stage: { limit: 17 } })).toThrow(
      'OnAir server: stage.limit must be a whole number of people, 2–16',
    );
  });

  it('checks the public RTMP URL', () => {
    expect(resolveOptions({ devAuth: true }).media.rtmpPublicUrl).toBeUndefined();
    expect(
      resolveOptions({ devAuth: true, media: { rtmpPublicUrl: 'rtmps://live.example.com/live' } })
        .media.rtmpPublicUrl,
    ).toBe('rtmps://live.example.com/live');
    expect(() =>
      resolveOptions({ devAuth: true, media: { rtmpPublicUrl: 'https://live.example.com' } }),
    ).toThrow('OnAir server: media.rtmpPublicUrl must be an rtmp:// or rtmps:// URL');
  });

  it('checks the node URL peers reach this server at', () => {
    expect(resolveOptions({ devAuth: true }).media.nodeUrl).toBeUndefined();
    expect(
      resolveOptions({ devAuth: true, media: { nodeUrl: 'https://node-2.internal:8443/' } }).media
        .nodeUrl,
    ).toBe('https://node-2.internal:8443');
    for (const nodeUrl of ['10.0.0.2:8080', 'ftp://10.0.0.2', 'http://10.0.0.2:8080/?a=1']) {
      expect(() => resolveOptions({ devAuth: true, media: { nodeUrl } })).toThrow(
        'OnAir server: media.nodeUrl must be an http(s) URL',
      );
    }
  });

  it('takes one webhook secret, or up to four while one is rotated, each of 16 characters or more', () => {
    const url = 'https://app.example/hooks';
    const key = (n: number) => `whsec_rotation_${n}`.padEnd(16, '_');
    for (const secret of [key(1), [key(1)], [key(1), key(2), key(3), key(4)]]) {
      expect(resolveOptions({ devAuth: true, webhooks: [{ url, secret }] }).webhooks).toHaveLength(
        1,
      );
    }
    expect(() =>
      resolveOptions({ devAuth: true, webhooks: [{ url, secret: [key(1), 'short'] }] }),
    ).toThrow('OnAir server: webhook secrets must be at least 16 characters');
    for (const secret of [[], [1, 2, 3, 4, 5].map(key)]) {
      expect(() => resolveOptions({ devAuth: true, webhooks: [{ url, secret }] })).toThrow(
        'OnAir server: a webhook has 1 to 4 secrets',
      );
    }
  });

  it('runs ffmpeg from PATH, else the npm-shipped one', () => {
    const path = process.env.PATH;
    try {
      expect(resolveOptions({ devAuth: true }).media.ffmpegPath).toBe('ffmpeg');
      process.env.PATH = '/nonexistent';
      const shipped = npmFfmpegPath();
      expect(shipped).toMatch(/@ffmpeg-installer\/linux-x64\/ffmpeg$/);
      expect(resolveOptions({ devAuth: true }).media.ffmpegPath).toBe(shipped);
      // A configured binary is used as configured, even a missing one (the preflight says so).
      expect(
        resolveOptions({ devAuth: true, media: { ffmpegPath: '/opt/ffmpeg' } }).media.ffmpegPath,
      ).toBe('/opt/ffmpeg');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('streamDefaults', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      streamDefaults: { qnaEnabled: true, reactionsEnabled: false },
    });
  });
  afterAll(() => server?.close());

  async function create(body: Record<string, unknown>) {
    const { token } = await server.token('Teacher');
    const response = await server.request('/v1/streams', {
      method: 'POST',
      token,
      json: { title: 'Lecture', ...body },
    });
    expect(response.status).toBe(201);
    const { stream } = (await response.json()) as {
      stream: { qnaEnabled: boolean; reactionsEnabled: boolean };
    };
    return { qnaEnabled: stream.qnaEnabled, reactionsEnabled: stream.reactionsEnabled };
  }

  it('gives a stream created without Q&A and reactions settings the configured ones', async () => {
    expect(await create({})).toEqual({ qnaEnabled: true, reactionsEnabled: false });
  });

  it('lets the create request’s own values win', async () => {
    expect(await create({ qnaEnabled: false, reactionsEnabled: true })).toEqual({
      qnaEnabled: false,
      reactionsEnabled: true,
    });
  });
});
