import { normalizeIP } from '@fastify/rate-limit';
import { OnAirError } from '@onair/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MemoryState } from '../../../platform/shared-state/memory-state.js';
import type { SharedState } from '../../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../../platform/shared-state/token-buckets.js';

/**
 * What one WHEP client may take of a server. A session's owner is new each
 * time (`whep:<random>`), so the router's per-owner limits cannot tell one
 * client's sessions apart: these count them per client instead.
 */
export interface WhepLimits {
  /**
   * Sessions one client may hold for one stream on this server whose media
   * has not started (its client did not connect yet); more are refused
   * `RATE_LIMITED` (429). Connected ones do not count: viewers behind one
   * address (a school's NAT) play on. `0`: no cap.
   */
  sessionsPerClient: number;
  /**
   * Session creations (`POST`) per client: a token bucket, shared between
   * servers when their state is (Redis). Over it: 429 `RATE_LIMITED` with
   * `Retry-After`. `false`: not limited.
   */
  createRate: RateLimit | false;
  /**
   * A session whose client has not connected (ICE and DTLS) this long after
   * its answer was sent is ended with reason `idle`, freeing its real-time
   * slot, ms.
   */
  connectTimeoutMs: number;
}

/**
 * Defaults of {@link WhepLimits}. A player connects within a second, so four
 * sessions still connecting cover reloads and tabs behind one address;
 * bursts of 20 then one a second let a classroom behind one NAT join in
 * half a minute, while holding a stream's 50 real-time slots unconnected
 * would need them all to connect; 15 s is ample for ICE and DTLS.
 */
export const DEFAULT_WHEP_LIMITS: WhepLimits = {
  sessionsPerClient: 4,
  createRate: { capacity: 20, refillPerSecond: 1 },
  connectTimeoutMs: 15_000,
};

/**
 * Who a WHEP caller is for its limits: the subject of a verified playback
 * token when it carries one, else its address — as the REST limit's caller,
 * `request.ip` (X-Forwarded-For only behind `trustProxy`), IPv6 by /64.
 */
export function whepClientOf(request: FastifyRequest, subject: string | undefined): string {
  return subject ? `user:${subject}` : `ip:${normalizeIP(request.ip)}`;
}

/** Counts WHEP sessions per stream and client, and paces their creation. */
export class WhepAdmission {
  private readonly held = new Map<string, number>();
  private readonly state: Pick<SharedState, 'take'>;

  constructor(
    private readonly limits: WhepLimits,
    /** Shared buckets (Redis between servers); default: this server's memory. */
    state?: Pick<SharedState, 'take'>,
  ) {
    this.state = state ?? new MemoryState();
  }

  /**
   * Takes a creation token of `client`, or refuses with 429 `RATE_LIMITED`
   * and `Retry-After` (set on `reply`, as the REST limit does).
   */
  async pace(client: string, reply: FastifyReply): Promise<void> {
    const rate = this.limits.createRate;
    if (!rate) return;
    // Like the REST limit, a Redis outage skips the limit rather than refusing playback.
    const wait = await this.state.take(`whep:create:${client}`, rate).catch(() => 0);
    if (wait <= 0) return;
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    reply.header('retry-after', String(seconds));
    throw new OnAirError('RATE_LIMITED', `Too many WHEP sessions started; retry in ${seconds} s`, {
      retryAfterSeconds: seconds,
    });
  }

  /**
   * Counts a session of `client` for `streamId`, or refuses with
   * `RATE_LIMITED` past {@link WhepLimits.sessionsPerClient}. Synchronous, so
   * concurrent offers cannot all pass; returns the release (idempotent).
   */
  admit(streamId: string, client: string): () => void {
    const max = this.limits.sessionsPerClient;
    const key = `${streamId} ${client}`;
    const count = this.held.get(key) ?? 0;
    if (max > 0 && count >= max) {
      throw new OnAirError(
        'RATE_LIMITED',
        `A client may hold at most ${max} WHEP sessions of a stream: end one (DELETE) first`,
        { maxWhepSessionsPerClient: max },
      );
    }
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }
}
