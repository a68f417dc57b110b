import { PLAYER_IDLE_STATE, Player, type PlayerOptions, type PlayerState } from '@onair/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStoreOr } from './use-external-store.js';

/** What {@link usePlayer} returns. */
export interface UsePlayerResult {
  /** Attach to your `<video>` element. */
  ref: (video: HTMLVideoElement | null) => void;
  state: PlayerState;
  /** The core Player, once the video element is mounted. */
  player: Player | null;
}

/**
 * Plays an HLS URL (live or a recording) in your own `<video>` element. To
 * play a stream by id through its life (live, end, replay), use
 * `useStreamViewer`.
 *
 * @example
 * ```tsx
 * const { ref, state } = usePlayer(hlsUrl);
 * return <video ref={ref} muted />;
 * ```
 */
export function usePlayer(
  src: string | null | undefined,
  options?: PlayerOptions,
): UsePlayerResult {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [player, setPlayer] = useState<Player | null>(null);
  const ref = useCallback((element: HTMLVideoElement | null) => setVideo(element), []);
  // Options are read once per video element, like the Player itself reads them once.
  const initialOptions = useRef(options);

  useEffect(() => {
    if (!video) return;
    const created = new Player(video, initialOptions.current);
    setPlayer(created);
    return () => {
      created.destroy();
      setPlayer(null);
    };
  }, [video]);

  useEffect(() => {
    if (player && src) void player.load(src);
  }, [player, src]);

  const state = useStoreOr<PlayerState>(player, PLAYER_IDLE_STATE);
  return { ref, state, player };
}
