import { OnAirError } from '../errors.js';

/** A capture quality: size, frame rate and the bitrate the encoder may reach. */
export interface QualityPreset {
  width: number;
  height: number;
  frameRate: number;
  /** Bits/s. */
  maxBitrate: number;
}

/** Built-in quality presets; 4K only where the camera delivers it. */
export const QUALITY_PRESETS = {
  '360p': { width: 640, height: 360, frameRate: 30, maxBitrate: 800_000 },
  '480p': { width: 854, height: 480, frameRate: 30, maxBitrate: 1_200_000 },
  '720p': { width: 1280, height: 720, frameRate: 30, maxBitrate: 2_500_000 },
  '1080p': { width: 1920, height: 1080, frameRate: 30, maxBitrate: 4_500_000 },
  '4k': { width: 3840, height: 2160, frameRate: 30, maxBitrate: 12_000_000 },
} as const satisfies Record<string, QualityPreset>;

/** Name of a built-in {@link QUALITY_PRESETS} entry. */
export type QualityName = keyof typeof QUALITY_PRESETS;

/** A capture device, as `enumerateDevices` lists it. */
export interface CaptureDevice {
  deviceId: string;
  /** Empty until the user grants permission (browsers hide labels before). */
  label: string;
}

/** Maps a getUserMedia / WebRTC failure to a typed error. */
export function mediaError(error: unknown): OnAirError {
  if (error instanceof OnAirError) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const opts = { cause: error };
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new OnAirError(
        'PERMISSION_DENIED',
        'Camera or microphone permission was denied',
        undefined,
        opts,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new OnAirError('DEVICE_NOT_FOUND', 'No camera or microphone matches', undefined, opts);
    case 'NotReadableError':
    case 'AbortError':
      return new OnAirError('DEVICE_IN_USE', 'The camera or microphone is in use', undefined, opts);
    case 'UnsupportedError':
    case 'TypeError':
      return new OnAirError('NOT_SUPPORTED', message, undefined, opts);
    default:
      return OnAirError.from(error);
  }
}
