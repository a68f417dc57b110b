/*
 * The page side of `pnpm bench:latency`. The publisher draws the wall clock
 * into a canvas as 44 black or white blocks (bits of Date.now()), publishes
 * the canvas through the SDK's Publisher, and viewers read the blocks back
 * from each presented frame (requestVideoFrameCallback) to get glass-to-glass
 * latency on one machine's clock.
 */
import { OnAirClient, Player, Publisher, RealtimeViewer } from '@onair/core';

const BITS = 44;
const WIDTH = 1280;
const HEIGHT = 720;
const COLUMNS = 11;
const BLOCK = 64;
const TOP = 200;

function clockTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  let hue = 0;
  const draw = () => {
    const now = Date.now();
    // Moving colour so the encoder sees motion, as with a camera.
    hue = (hue + 3) % 360;
    context.fillStyle = `hsl(${hue} 40% 40%)`;
    context.fillRect(0, 0, WIDTH, HEIGHT);
    for (let bit = 0; bit < BITS; bit++) {
      const on = Math.floor(now / 2 ** bit) % 2 === 1;
      context.fillStyle = on ? '#fff' : '#000';
      const x = 64 + (bit % COLUMNS) * (BLOCK + 32);
      const y = TOP + Math.floor(bit / COLUMNS) * (BLOCK + 32);
      context.fillRect(x, y, BLOCK, BLOCK);
    }
  };
  draw();
  setInterval(draw, 10);
  return canvas.captureStream(30).getVideoTracks()[0] as MediaStreamTrack;
}

function silentAudio(): MediaStreamTrack {
  const audio = new AudioContext();
  const oscillator = audio.createOscillator();
  const destination = audio.createMediaStreamDestination();
  oscillator.connect(destination);
  oscillator.start();
  return destination.stream.getAudioTracks()[0] as MediaStreamTrack;
}

/** Reads the time drawn into a frame, or undefined when the blocks are not readable. */
function readClock(context: CanvasRenderingContext2D, video: HTMLVideoElement): number | undefined {
  const { videoWidth: w, videoHeight: h } = video;
  if (w === 0 || h === 0) return undefined;
  context.canvas.width = w;
  context.canvas.height = h;
  context.drawImage(video, 0, 0, w, h);
  const scale = w / WIDTH;
  let value = 0;
  for (let bit = 0; bit < BITS; bit++) {
    const x = Math.round((64 + (bit % COLUMNS) * (BLOCK + 32) + BLOCK / 2) * scale);
    const y = Math.round((TOP + Math.floor(bit / COLUMNS) * (BLOCK + 32) + BLOCK / 2) * scale);
    const [r = 0, g = 0, b = 0] = context.getImageData(x, y, 1, 1).data;
    const luma = (r + g + b) / 3;
    if (luma > 160) value += 2 ** bit;
    else if (luma > 90) return undefined; // a block caught mid-change
  }
  return value;
}

declare global {
  interface Window {
    bench: {
      publish(token: string, streamId: string): Promise<void>;
      watch(
        token: string,
        streamId: string,
        mode: 'realtime' | 'whep' | 'hls',
        src?: string,
      ): Promise<void>;
      /** The stock WHEP viewer's receive stats per kind (jitter buffer delays, ms). */
      jitter(): Promise<Record<string, { delay: number; target: number; minimum: number }>>;
      /** Ends the stock WHEP viewer's session as such a client does on stop: `DELETE` its resource. */
      stop(): Promise<void>;
      samples(): {
        firstFrameMs: number | null;
        latencies: number[];
        width: number;
        height: number;
      };
    };
  }
}

let firstFrameMs: number | null = null;
let whepConnection: RTCPeerConnection | undefined;
/** The WHEP session's resource (the answer's `Location`), to `DELETE` at the end. */
let whepResource: string | undefined;

/**
 * A viewer as a stock WHEP client plays (whip-whep's WHEPClient, Eyevinn's
 * player): receive-only audio and video, the whole offer POSTed once ICE
 * gathering is complete, the answer's tracks on the element as its streams
 * group them. Nothing of the SDK.
 */
async function stockWhep(url: string, video: HTMLVideoElement): Promise<void> {
  const pc = new RTCPeerConnection();
  whepConnection = pc;
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const stream = new MediaStream();
  pc.ontrack = (event) => {
    stream.addTrack(event.track);
    video.srcObject = stream;
    video.play().catch(() => undefined);
  };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp' },
    body: pc.localDescription?.sdp ?? null,
  });
  if (!response.ok) throw new Error(`WHEP ${response.status}: ${await response.text()}`);
  const location = response.headers.get('location');
  whepResource = location ? new URL(location, url).href : undefined;
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
}
const latencies: number[] = [];
let lastSize = { width: 0, height: 0 };

window.bench = {
  async publish(token, streamId) {
    const client = new OnAirClient({ baseUrl: location.origin, token });
    const video = clockTrack();
    const audio = silentAudio();
    const mediaDevices = {
      getUserMedia: async () => new MediaStream([video, audio]),
      enumerateDevices: async () => [],
      addEventListener() {},
      removeEventListener() {},
    } as unknown as MediaDevices;
    const publisher = new Publisher(client, { streamId, mediaDevices, quality: '720p' });
    await publisher.publish();
  },

  async watch(token, streamId, mode, src) {
    const client = new OnAirClient({ baseUrl: location.origin, token });
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    document.body.append(video);
    const player = new Player(video);
    const reader = document.createElement('canvas').getContext('2d', {
      willReadFrequently: true,
    }) as CanvasRenderingContext2D;
    const started = performance.now();
    const onFrame = () => {
      if (firstFrameMs === null && video.videoWidth > 0) firstFrameMs = performance.now() - started;
      const sent = readClock(reader, video);
      if (sent !== undefined) {
        const latency = Date.now() - sent;
        if (latency >= 0 && latency < 60_000) latencies.push(latency);
      }
      lastSize = { width: video.videoWidth, height: video.videoHeight };
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    if (mode === 'realtime') {
      await player.loadRealtime(new RealtimeViewer({ realtime: client.realtime, streamId }));
    } else if (mode === 'whep') {
      await stockWhep(
        `${location.origin}/whep/${streamId}?token=${encodeURIComponent(token)}`,
        video,
      );
    } else {
      await player.load(src as string);
    }
  },

  async jitter() {
    const result: Record<string, { delay: number; target: number; minimum: number }> = {};
    const report = await whepConnection?.getStats();
    report?.forEach((entry) => {
      if (entry.type !== 'inbound-rtp') return;
      const emitted = entry.jitterBufferEmittedCount || 1;
      result[entry.kind] = {
        delay: (1000 * entry.jitterBufferDelay) / emitted,
        target: (1000 * entry.jitterBufferTargetDelay) / emitted,
        minimum: (1000 * entry.jitterBufferMinimumDelay) / emitted,
      };
    });
    return result;
  },

  samples() {
    return { firstFrameMs, latencies: [...latencies], ...lastSize };
  },

  async stop() {
    whepConnection?.close();
    if (whepResource) await fetch(whepResource, { method: 'DELETE' });
    whepResource = undefined;
  },
};
