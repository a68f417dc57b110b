import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia } from '../../../../../scripts/validate-ll-hls.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { parsePrometheusText } from '../../../test/prometheus-text.js';
import { ffmpegChildren, publishRtmp } from '../../../test/rtmp-publisher.js';

/*
 * Fault: the HLS packager's ffmpeg is killed (SIGKILL: the OOM killer, an
 * operator) while a stream is live, twice, the second time before the
 * restarted one has produced anything. The packager starts a new ffmpeg and
 * the playlists go on after a discontinuity within RECOVERY_MS of each kill;
 * the stream stays live, the server stays up, and the recording made across
 * the kills is complete when the stream ends.
 */
const RECOVERY_MS = 20_000;
/** The packager's ffmpeg reads the publisher's FLV from its standard input. */
const PACKAGER_INPUT = 'pipe:0';

let server: TestServer;
let owner: { token: string; userId: string };
let publisher: ChildProcess | undefined;

beforeAll(async () => {
  server = await startTestServer({
    media: { rtmpPort: 0, ladder: ['240p'], reconnectGraceSeconds: 30 },
  });
  owner = await server.token('Packager owner', { roles: ['broadcaster'] });
}, 60_000);
afterAll(async () => {
  publisher?.kill('SIGKILL');
  await server?.close();
});

const text = async (path: string) => {
  const response = await server.request(path);
  return { status: response.status, body: await response.text() };
};

/** The media sequence number the next segment of a live playlist will have. */
function nextMsn(playlist: string): number {
  const base = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0);
  return base + (playlist.match(/^#EXTINF:/gm)?.length ?? 0);
}

const packagers = () => ffmpegChildren(process.pid, PACKAGER_INPUT);

const metrics = async () => parsePrometheusText(await (await server.request('/metrics')).text());
const BITRATE = 'onair_ingest_bitrate_bits_per_second';

describe('the packager’s ffmpeg killed mid-stream', () => {
  it('restarts ffmpeg, the playlists go on, the stream stays live', async () => {
    const created = await server.request('/v1/streams', {
      method: 'POST',
      token: owner.token,
      json: { title: 'Kill ffmpeg', recording: true },
    });
    const { stream, streamKey } = (await created.json()) as {
      stream: { id: string };
      streamKey: string;
    };
    const id = stream.id;
    publisher = publishRtmp(`${server.rtmpUrl}/${streamKey}`, { seconds: 90 });
    await expect
      .poll(async () => (await text(`/hls/${id}/master.m3u8`)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    const media = `/hls/${id}/360p/index.m3u8`;

    for (const round of [1, 2]) {
      const [victim] = packagers();
      expect(victim, `packager ffmpeg before kill ${round}`).toBeDefined();
      const before = nextMsn((await text(media)).body);
      process.kill(victim as number, 'SIGKILL');
      const killedAt = Date.now();
      // A new ffmpeg takes over (with backoff: 250 ms, then 500 ms).
      await expect
        .poll(() => packagers().filter((pid) => pid !== victim), { timeout: 5_000 })
        .toHaveLength(1);
      if (round === 1) {
        // Killed again before it has written anything: it must come back all the same.
        const [second] = packagers();
        process.kill(second as number, 'SIGKILL');
        await expect
          .poll(() => packagers().filter((pid) => pid !== second), { timeout: 5_000 })
          .toHaveLength(1);
      }
      // Two segments after the kill: at least one is wholly the new ffmpeg's.
      await expect
        .poll(async () => nextMsn((await text(media)).body), {
          timeout: RECOVERY_MS,
          interval: 250,
        })
        .toBeGreaterThanOrEqual(before + 2);
      expect(Date.now() - killedAt).toBeLessThan(RECOVERY_MS);
      const playlist = (await text(media)).body;
      expect(playlist).toContain('\n#EXT-X-DISCONTINUITY\n');
      validateLlHlsMedia(playlist);
      expect(JSON.parse((await text(`/v1/streams/${id}`)).body).status).toBe('live');
      expect((await text('/healthz')).status).toBe(200);
    }

    // /metrics shows it: three restarts, and the ingest (health reports every 5 s), summed per
    // ingest on this open endpoint: no stream's id.
    expect((await metrics()).value('onair_ffmpeg_restarts_total')).toBe(3);
    expect((await metrics()).value('onair_publishing_streams')).toBe(1);
    await expect
      .poll(async () => (await metrics()).value(BITRATE, { ingest: 'rtmp' }), {
        timeout: 15_000,
      })
      .toBeGreaterThan(10_000);
    expect(await (await server.request('/metrics')).text()).not.toContain(id);

    // The recording made across the kills is written when the stream ends.
    publisher.kill('SIGKILL');
    await server.request(`/v1/streams/${id}/end`, { method: 'POST', token: owner.token });
    await expect
      .poll(async () => JSON.parse((await text(`/v1/streams/${id}`)).body).recordingUrl, {
        timeout: 15_000,
      })
      .toBe(`/hls/${id}/master.m3u8`);
    const vod = validateLlHlsMedia((await text(media)).body, { live: false });
    expect(vod.segments.filter((s) => s.discontinuity).length).toBeGreaterThanOrEqual(2);
    expect(packagers()).toEqual([]);
    const after = await metrics();
    expect(after.value('onair_publishing_streams')).toBe(0);
    expect(after.samples.filter((sample) => sample.name === BITRATE)).toEqual([]);
  }, 90_000);
});
