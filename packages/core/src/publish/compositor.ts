/** The camera drawn over a shared screen, as one video track. */
export interface Compositor {
  readonly track: MediaStreamTrack;
  stop(): void;
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
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
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
  const frameRate = settings.frameRate ?? 30;
  // A timer, not requestAnimationFrame: it keeps drawing when the tab is in the background.
  const timer = setInterval(() => {
    if (!context) return;
    context.drawImage(screenVideo, 0, 0, width, height);
    const w = Math.round(width / 4);
    const h = Math.round((w * (cameraVideo.videoHeight || 9)) / (cameraVideo.videoWidth || 16));
    const margin = Math.round(width / 64);
    context.drawImage(cameraVideo, width - w - margin, height - h - margin, w, h);
  }, 1000 / frameRate);
  const [track] = canvas.captureStream(frameRate).getVideoTracks();
  return {
    track: track as MediaStreamTrack,
    stop() {
      clearInterval(timer);
      track?.stop();
      screenVideo.srcObject = null;
      cameraVideo.srcObject = null;
    },
  };
}
