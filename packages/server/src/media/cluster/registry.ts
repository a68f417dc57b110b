import { z } from 'zod';

/** How often a node renews the registry entries of the streams it holds, ms. */
export const REGISTRY_HEARTBEAT_MS = 2_000;
/** How long an entry lives without a renewal, ms: a crashed node's streams are forgotten after it. */
export const REGISTRY_TTL_MS = 6_000;

/** The node holding a stream's media: one id per server process, and the URL its peers reach it at. */
export interface MediaHolder {
  nodeId: string;
  /** Base URL of the node's HTTP server, e.g. `http://10.0.0.2:8080` (no trailing slash). */
  url: string;
}

/** What a node's URL may be: an http(s) base URL (a path prefix at most; no query, no fragment). */
export const NODE_URL_PATTERN = /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/;

/** A {@link MediaHolder} as stored: checked when read back, since another process wrote it. */
export const MediaHolderSchema = z.strictObject({
  nodeId: z.string().min(1),
  url: z.string().regex(NODE_URL_PATTERN),
});

/**
 * Which node holds which stream's media (its SFU router, its HLS packager),
 * with liveness: entries expire `ttlMs` after their last claim or renewal, so
 * a crashed node's streams are forgotten. In Redis when servers share it
 * ({@link RedisMediaRegistry}), else in memory ({@link MemoryMediaRegistry}).
 */
export interface MediaRegistry {
  /** Records `holder` as the stream's holder, replacing any other (a publisher arrived there). */
  claim(streamId: string, holder: MediaHolder, ttlMs: number): Promise<void>;
  /**
   * Renews the entries of `streamIds` that `holder` still holds (or that
   * have expired meanwhile); returns the streams another node claimed since,
   * whose entries are left alone.
   */
  renew(streamIds: readonly string[], holder: MediaHolder, ttlMs: number): Promise<string[]>;
  /** Removes the stream's entry if node `nodeId` holds it (its media ended there). */
  release(streamId: string, nodeId: string): Promise<void>;
  /** The stream's holder, if a live entry names one. */
  holderOf(streamId: string): Promise<MediaHolder | undefined>;
}

/**
 * What the media plane tells the registry: a stream's media arrived on this
 * node (its publisher is here) or ended. Both are idempotent.
 */
export interface StreamHoldings {
  hold(streamId: string): void;
  release(streamId: string): void;
  /**
   * Whether another node took the stream's media over since this node last
   * held it (its publisher moved there): what this node packaged is a part
   * the other node's recording does not include.
   */
  superseded?(streamId: string): boolean;
}
