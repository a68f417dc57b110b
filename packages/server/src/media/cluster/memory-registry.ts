import type { MediaHolder, MediaRegistry } from './registry.js';

/**
 * {@link MediaRegistry} of a single server, in memory: every stream's media
 * is on this node, so it only ever names this node (or, in tests, nodes in
 * the same process).
 */
export class MemoryMediaRegistry implements MediaRegistry {
  private readonly entries = new Map<string, { holder: MediaHolder; expires: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async claim(streamId: string, holder: MediaHolder, ttlMs: number): Promise<void> {
    this.entries.set(streamId, { holder: { ...holder }, expires: this.now() + ttlMs });
  }

  async renew(streamIds: readonly string[], holder: MediaHolder, ttlMs: number): Promise<string[]> {
    const lost: string[] = [];
    for (const streamId of streamIds) {
      const current = this.live(streamId);
      if (current && current.nodeId !== holder.nodeId) lost.push(streamId);
      else await this.claim(streamId, holder, ttlMs);
    }
    return lost;
  }

  async release(streamId: string, nodeId: string): Promise<void> {
    if (this.live(streamId)?.nodeId === nodeId) this.entries.delete(streamId);
  }

  async holderOf(streamId: string): Promise<MediaHolder | undefined> {
    const holder = this.live(streamId);
    return holder && { ...holder };
  }

  private live(streamId: string): MediaHolder | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.holder;
    this.entries.delete(streamId);
    return undefined;
  }
}
