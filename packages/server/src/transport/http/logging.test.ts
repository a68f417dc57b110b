import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { StreamKeys } from '../../platform/auth/stream-keys.js';
import { loggerOptions } from './logging.js';

/*
 * No secret in logs: a real server at debug level, its log captured, asked
 * with every kind of secret a client sends (playback tokens in HLS and WHEP
 * URLs, bearer tokens, stream keys in headers and queries); the log names
 * the requests but none of the secrets, nor a stream key or its hash.
 */
const STREAM_KEY_SECRET = 'logging-test-stream-key-secret-0123456789';

/** A log destination that keeps every line. */
function capture() {
  const lines: string[] = [];
  return {
    lines,
    stream: { write: (line: string) => lines.push(line) },
    text: () => lines.join(''),
  };
}

const parse = (lines: string[]) =>
  lines.map((line) => JSON.parse(line) as { level: number; msg: string; req?: { url: string } });
const DEBUG = 20;
const INFO = 30;

describe('request logs', () => {
  const debugLog = capture();
  const infoLog = capture();
  let debug: TestServer;
  let info: TestServer;
  beforeAll(async () => {
    const common = { streamKeySecret: STREAM_KEY_SECRET, media: { rtmpPort: false as const } };
    debug = await startTestServer({ ...common, logLevel: 'debug', logStream: debugLog.stream });
    info = await startTestServer({ ...common, logLevel: 'info', logStream: infoLog.stream });
  });
  afterAll(async () => {
    await debug?.close();
    await info?.close();
  });

  it('never contain a token, a bearer, a stream key or its hash', async () => {
    const owner = await debug.token('Host');
    const created = await debug.request('/v1/streams', {
      method: 'POST',
      token: owner.token,
      json: { title: 'Secret stream', privacy: 'private' },
    });
    const { stream, streamKey } = (await created.json()) as {
      stream: { id: string };
      streamKey: string;
    };
    const id = stream.id;
    await debug.request(`/v1/streams/${id}/start`, { method: 'POST', token: owner.token });
    const secrets = [
      owner.token,
      streamKey,
      new StreamKeys(STREAM_KEY_SECRET).hash(streamKey),
      'SECRET_HLS_TOKEN',
      'SECRET_WHEP_TOKEN',
      'SECRET_QUERY_KEY',
      'SECRET_BEARER',
      'SECRET_ESCAPED_TOKEN',
    ];
    const statuses = [
      await debug.request(`/hls/${id}/master.m3u8?token=SECRET_HLS_TOKEN`),
      await debug.request(`/hls/${id}/720p/index.m3u8?_HLS_msn=3&token=SECRET_HLS_TOKEN`),
      await debug.request(`/hls/${id}/720p/3.1.m4s?token=SECRET_HLS_TOKEN&x=1`),
      // The server decodes a parameter's name: `%74oken` is `token`.
      await debug.request(`/hls/${id}/master.m3u8?%74oken=SECRET_ESCAPED_TOKEN`),
      await debug.request(`/whep/${id}?token=SECRET_WHEP_TOKEN`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: 'v=0',
      }),
      await debug.request('/v1/streams', { headers: { authorization: 'Bearer SECRET_BEARER' } }),
      await debug.request(`/v1/streams?key=SECRET_QUERY_KEY&streamKey=${streamKey}`),
      await debug.request('/whip', {
        method: 'POST',
        headers: { authorization: `Bearer ${streamKey}`, 'content-type': 'application/sdp' },
        body: 'not sdp',
      }),
      await debug.request(`/v1/streams/${id}/key`, { method: 'POST', token: owner.token }),
    ].map((r) => r.status);
    expect(
      statuses.every((status) => status < 500),
      String(statuses),
    ).toBe(true);

    const log = debugLog.text();
    // The requests were logged (with their secrets redacted), …
    const urls = parse(debugLog.lines).flatMap((line) => (line.req ? [line.req.url] : []));
    expect(urls).toContain(`/hls/${id}/master.m3u8?token=[redacted]`);
    expect(urls).toContain(`/hls/${id}/master.m3u8?%74oken=[redacted]`);
    expect(urls).toContain(`/whep/${id}?token=[redacted]`);
    expect(urls).toContain('/v1/streams?key=[redacted]&streamKey=[redacted]');
    // … the secrets never.
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/authorization/i);
  });

  it('log media requests at debug and REST requests at info', async () => {
    await info.request('/v1/streams');
    await info.request('/hls/st_nosuchstream01/master.m3u8');
    await info.request('/whep/st_nosuchstream01', { method: 'POST' });
    const urls = (lines: string[], level: number) =>
      parse(lines)
        .filter((line) => line.level === level && line.req)
        .map((line) => line.req?.url);
    expect(urls(infoLog.lines, INFO)).toContain('/v1/streams');
    const media = (url: string | undefined) => /^\/(?:hls|whep)\//.test(url ?? '');
    expect(urls(infoLog.lines, INFO).filter(media)).toEqual([]);
    expect(parse(infoLog.lines).some((line) => media(line.req?.url))).toBe(false);
    // At debug they are there.
    expect(urls(debugLog.lines, DEBUG).filter(media).length).toBeGreaterThan(0);
    expect(urls(debugLog.lines, INFO).filter(media)).toEqual([]);
  });
});

describe('logged errors and messages', () => {
  it('leave out the parameters of failed queries (a stream-key hash among them)', async () => {
    const log = capture();
    const app = Fastify(loggerOptions({ logLevel: 'debug', logStream: log.stream }));
    try {
      const hash = new StreamKeys(STREAM_KEY_SECRET).hash('onair_sk_leak');
      const error = new DrizzleQueryError(
        'select "id" from "streams" where "stream_key_hash" = $1',
        [hash],
        Object.assign(new Error('connection terminated'), { detail: `Key (hash)=(${hash})` }),
      );
      app.log.error({ err: error }, 'unhandled error');
      app.log.error(error);
      app.log.warn(`RTMP publish refused from 127.0.0.1: ${error.message}`);
      app.log.info({ url: '/hls/st_x/master.m3u8?token=SECRET_IN_MESSAGE' }, 'moved');
      app.log.warn('fetching /whep/st_x?token=SECRET_IN_MESSAGE failed');
      expect(log.lines.length).toBe(5);
      expect(log.text()).toContain('Failed query: select');
      expect(log.text()).not.toContain(hash);
      expect(log.text()).not.toContain('SECRET_IN_MESSAGE');
    } finally {
      await app.close();
    }
  });
});
