import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpPacket } from 'werift';
import { HlsPackager, masterPlaylist, type PacketSource } from './hls-packager.js';
import { ffmpegSdp } from './sdp.js';

/*
 * A real ffmpeg encodes a test pattern to H.264 RTP; the packets are fed to
 * the packager through a PacketSource, as a browser publisher's would be.
 */
class RtpTestSource implements PacketSource {
  readonly codec = {
    mimeType: 'video/H264',
    payloadType: 102,
    clockRate: 90000,
    channels: undefined,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
  };
  private readonly listeners = new Set<(packet: RtpPacket) => void>();
  keyframeRequests = 0;
  private socket: Socket | undefined;
  private encoder: ChildProcess | undefined;

  async start(): Promise<void> {
    this.socket = createSocket('udp4');
    this.socket.on('message', (data) => {
      const packet = RtpPacket.deSerialize(data);
      for (const listener of this.listeners) listener(packet);
    });
    await new Promise<void>((resolve) => this.socket?.bind(0, '127.0.0.1', resolve));
    const port = this.socket.address().port;
    this.encoder = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=30',
        '-t',
        '60',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-profile:v',
        'baseline',
        '-g',
        '30',
        '-pix_fmt',
        'yuv420p',
        '-f',
        'rtp',
        '-payload_type',
        '102',
        `rtp://127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  }

  onPacket(listener: (packet: RtpPacket) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  requestKeyframe() {
    this.keyframeRequests++;
  }

  stop() {
    this.encoder?.kill('SIGKILL');
    this.socket?.close();
  }
}

let source: RtpTestSource;
let outDir: string;

beforeAll(async () => {
  source = new RtpTestSource();
  await source.start();
  outDir = await mkdtemp(join(tmpdir(), 'onair-packager-'));
});
afterAll(async () => {
  source?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const segmentsIn = async (dir: string) =>
  (
    (await readFile(join(dir, 'index.m3u8'), 'utf8').catch(() => '')).match(/^seg_\d+\.m4s$/gm) ??
    []
  ).length;

describe('HlsPackager (real ffmpeg)', () => {
  it('packages RTP into fMP4 HLS, restarts a crashed ffmpeg and kills it on stop', async () => {
    const logs: string[] = [];
    const packager = new HlsPackager({
      outDir,
      ffmpegPath: 'ffmpeg',
      segmentSeconds: 1,
      keyframeIntervalMs: 1000,
      video: source,
      audio: undefined,
      log: (m) => logs.push(m),
    });
    await packager.start();
    await expect
      .poll(() => segmentsIn(outDir), { timeout: 20_000, interval: 250 })
      .toBeGreaterThanOrEqual(2);
    expect(await readFile(join(outDir, 'master.m3u8'), 'utf8')).toContain('CODECS="avc1.42e01f"');
    expect(source.keyframeRequests).toBeGreaterThan(0);

    const firstPid = packager.pid;
    expect(firstPid).toBeTypeOf('number');
    process.kill(firstPid as number, 'SIGKILL');
    await expect.poll(() => packager.restartCount, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => packager.pid, { timeout: 5_000 }).not.toBe(firstPid);
    expect(logs.join('\n')).toMatch(/ffmpeg exited .*restarting/);

    const secondPid = packager.pid as number;
    await packager.stop();
    expect(packager.pid).toBeUndefined();
    expect(() => process.kill(secondPid, 0)).toThrow();
  }, 60_000);

  it('writes a master playlist and SDP that describe the source', () => {
    expect(masterPlaylist(source, true)).toContain('CODECS="avc1.42e01f,mp4a.40.2"');
    const sdp = ffmpegSdp([{ kind: 'video', port: 40000, codec: source.codec }]);
    expect(sdp).toContain('m=video 40000 RTP/AVP 102');
    expect(sdp).toContain('a=rtpmap:102 H264/90000');
    expect(sdp).toContain('a=fmtp:102 packetization-mode=1;profile-level-id=42e01f');
  });
});
