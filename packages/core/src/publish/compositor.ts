/** A video track drawn on a canvas: the camera over a shared screen, or a black picture. */
export interface Compositor {
  readonly track: MediaStreamTrack;
  stop(): void;
}

/**
 * A canvas of `width` × `height` whose track gets a frame `frameRate` times a
 * second, each drawn by `draw`; `done` runs when it stops.
 */
function drawn(
  width: number,
  height: number,
  frameRate: number,
  draw: (context: CanvasRenderingContext2D) => void,
  done?: () => void,
): Compositor {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  // A timer, not requestAnimationFrame: it keeps drawing when the tab is in the background.
  const timer = setInterval(() => context && draw(context), 1000 / frameRate);
  const [track] = canvas.captureStream(frameRate).getVideoTracks();
  return {
    track: track as MediaStreamTrack,
    stop() {
      clearInterval(timer);
      track?.stop();
      done?.();
    },
  };
}

/**
 * Draws the camera into a corner of the shared screen on a canvas and
 * returns the canvas's track (one video track, so the stream keeps one
 * producer and every viewer and rendition gets both).
 */
export function composite(screen: MediaStreamTrack, camera: MediaStreamTrack): Compositor {
  const settings = screen.getSettings();
  const width = settings.width ?? 1280;
  const height = settings.height ?? 720;
  const source = (track: MediaStreamTrack) => {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    void video.play().catch(() => undefined);
    return video;
  };
  const screenVideo = source(screen);
  const cameraVideo = source(camera);
  return drawn(
    width,
    height,
    settings.frameRate ?? 30,
    (context) => {
      context.drawImage(screenVideo, 0, 0, width, height);
      const w = Math.round(width / 4);
      const h = Math.round((w * (cameraVideo.videoHeight || 9)) / (cameraVideo.videoWidth || 16));
      const margin = Math.round(width / 64);
      context.drawImage(cameraVideo, width - w - margin, height - h - margin, w, h);
    },
    () => {
      screenVideo.srcObject = null;
      cameraVideo.srcObject = null;
    },
  );
}

/**
 * A black picture: what is sent when a shared screen stops and there is no
 * camera to go back to (an ended track would leave viewers on its last frame,
 * and the ladder without frames).
 */
export function black(width: number, height: number, frameRate: number): Compositor {
  return drawn(width, height, frameRate, (context) => context.fillRect(0, 0, width, height));
}
