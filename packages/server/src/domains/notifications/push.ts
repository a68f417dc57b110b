import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { OnAirError } from '@onair/protocol';
import type { Notification } from '@onair/protocol/notifications';
import { and, asc, eq, inArray } from 'drizzle-orm';
import webpush from 'web-push';
import type { InternalBus } from '../../platform/events.js';
import type { Database } from '../../storage/database.js';
import { pushSubscriptions } from '../../storage/schema.js';

/** Web Push settings (VAPID, RFC 8292). Generate keys with `npx web-push generate-vapid-keys`. */
export interface WebPushOptions {
  /** The VAPID public key (base64url), also given to browsers (`GET /v1/push/key`). */
  publicKey: string;
  /** The VAPID private key (base64url). A secret: never logged. */
  privateKey: string;
  /** Who runs the server, for push services to reach: `mailto:ops@example.com` or an `https:` URL. */
  subject: string;
  /**
   * Accept `http:` endpoints and endpoints on loopback or private addresses
   * (tests, a push service on your own network). Default false: browsers'
   * push services are public `https:` hosts, and an endpoint is a URL the
   * server will post to.
   */
  allowInsecureEndpoints?: boolean;
}

/** Most push subscriptions one user keeps (browsers, devices); the oldest go first. */
export const MAX_PUSH_SUBSCRIPTIONS = 10;
/** Pushes in flight at once. */
const CONCURRENCY = 16;
/** How long a push service keeps a push for a browser that is offline, seconds. */
const TTL_SECONDS = 3600;

/** A stored subscription. */
export interface StoredPushSubscription {
  endpoint: string;
  userId: string;
  p256dh: string;
  auth: string;
}

/** Whether `host` names this machine or a private network (IP literals and `localhost`). */
function isPrivateHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const version = isIP(name);
  if (version === 4) {
    const [a = 0, b = 0] = name.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (version === 6) {
    return (
      name === '::1' ||
      name === '::' ||
      /^f[cd]/.test(name) ||
      /^fe[89ab]/.test(name) ||
      name.startsWith('::ffff:')
    );
  }
  return false;
}

/**
 * Checks a subscription's endpoint before it is stored: an `https:` URL of a
 * public host (no credentials), unless `allowInsecure`. `VALIDATION_FAILED`
 * otherwise. Host names are resolved when pushing ({@link PushSender}): a
 * name that leads to a private address gets nothing and is forgotten.
 */
export function checkEndpoint(endpoint: string, allowInsecure = false): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new OnAirError('VALIDATION_FAILED', 'endpoint: not a URL', { field: 'endpoint' });
  }
  const secure = url.protocol === 'https:';
  if (
    (!secure && !(allowInsecure && url.protocol === 'http:')) ||
    url.username ||
    url.password ||
    (!allowInsecure && isPrivateHost(url.hostname))
  ) {
    throw new OnAirError(
      'VALIDATION_FAILED',
      "endpoint: must be a push service's https: URL on a public host",
      { field: 'endpoint' },
    );
  }
  return url;
}

/** Users' push subscriptions. */
export class PushSubscriptionRepository {
  constructor(private readonly db: Database) {}

  /** Stores a subscription for `userId` (an endpoint moves to the user who subscribed last), keeping their newest {@link MAX_PUSH_SUBSCRIPTIONS}. */
  async save(subscription: StoredPushSubscription): Promise<void> {
    await this.db
      .insert(pushSubscriptions)
      .values({ ...subscription, createdAt: new Date() })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: {
          userId: subscription.userId,
          p256dh: subscription.p256dh,
          auth: subscription.auth,
          createdAt: new Date(),
        },
      });
    const kept = await this.db
      .select({ endpoint: pushSubscriptions.endpoint })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, subscription.userId))
      .orderBy(asc(pushSubscriptions.createdAt));
    const excess = kept.slice(0, Math.max(0, kept.length - MAX_PUSH_SUBSCRIPTIONS));
    if (excess.length > 0) {
      await this.db.delete(pushSubscriptions).where(
        inArray(
          pushSubscriptions.endpoint,
          excess.map((row) => row.endpoint),
        ),
      );
    }
  }

  /** Forgets a user's subscription; false when they had none with that endpoint. */
  async remove(userId: string, endpoint: string): Promise<boolean> {
    const removed = await this.db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
      .returning({ endpoint: pushSubscriptions.endpoint });
    return removed.length > 0;
  }

  /** Forgets endpoints a push service said are gone. */
  async expire(endpoints: readonly string[]): Promise<void> {
    if (endpoints.length === 0) return;
    await this.db
      .delete(pushSubscriptions)
      .where(inArray(pushSubscriptions.endpoint, [...endpoints]));
  }

  /** The subscriptions of these users. */
  async of(userIds: readonly string[]): Promise<StoredPushSubscription[]> {
    if (userIds.length === 0) return [];
    return this.db
      .select({
        endpoint: pushSubscriptions.endpoint,
        userId: pushSubscriptions.userId,
        p256dh: pushSubscriptions.p256dh,
        auth: pushSubscriptions.auth,
      })
      .from(pushSubscriptions)
      .where(inArray(pushSubscriptions.userId, [...userIds]));
  }
}

/** Sends one push; resolves with the push service's status (throws a `WebPushError` on refusal). */
export type PushSend = (
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
  payload: string,
  options: webpush.RequestOptions,
) => Promise<{ statusCode: number }>;

/**
 * Sends one push: `web-push` encrypts the payload and signs the VAPID
 * header, `fetch` posts it (no redirects, 10 s at most). Throws an error with
 * the push service's `statusCode` when it refuses.
 */
const postPush: PushSend = async (subscription, payload, options) => {
  const request = webpush.generateRequestDetails(subscription, payload, options);
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
  );
  const response = await fetch(request.endpoint, {
    method: request.method,
    headers,
    body: Uint8Array.from(request.body as Buffer),
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeout ?? 10_000),
  });
  await response.body?.cancel();
  if (!response.ok) {
    throw Object.assign(new Error(`push service answered ${response.status}`), {
      statusCode: response.status,
    });
  }
  return { statusCode: response.status };
};

/**
 * Web Push of notifications (RFC 8030, encrypted per RFC 8291, VAPID per
 * RFC 8292): each `notifications:sent` goes to every browser its users
 * subscribed, 16 pushes at a time, with the notification as the payload
 * (JSON, a `Notification`). A subscription its push service answers 404 or
 * 410 for is forgotten. Failures are logged by push service host, never by
 * endpoint (an endpoint is a capability).
 */
export class PushSender {
  private pending = Promise.resolve();

  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly options: WebPushOptions,
    private readonly log: (message: string) => void,
    private readonly send: PushSend = postPush,
  ) {}

  /** Pushes what the bus says was sent; returns the detach function. */
  attach(bus: InternalBus): () => void {
    return bus.on('notifications:sent', ({ notification, userIds }) => {
      this.pending = this.pending
        .then(() => this.push(notification, userIds))
        .catch((error: unknown) => this.log(`web push: ${(error as Error).message}`));
    });
  }

  /** Resolves once the pushes started so far are done (tests, shutdown). */
  async idle(): Promise<void> {
    await this.pending;
  }

  /** Pushes `notification` to every subscription of `userIds`. */
  async push(notification: Notification, userIds: readonly string[]): Promise<void> {
    const targets = await this.subscriptions.of(userIds);
    const payload = JSON.stringify(notification);
    const options: webpush.RequestOptions = {
      TTL: TTL_SECONDS,
      vapidDetails: {
        subject: this.options.subject,
        publicKey: this.options.publicKey,
        privateKey: this.options.privateKey,
      },
      contentEncoding: 'aes128gcm',
      timeout: 10_000,
    };
    const gone: string[] = [];
    const failedHosts = new Map<string, number>();
    // A public name may still lead to a private address: each host is resolved before its
    // first push and refused if any of its addresses is private (as literal hosts are).
    // A name that does not resolve now is tried again next time, not forgotten.
    const hostAllowed = new Map<string, Promise<'yes' | 'private' | 'unresolved'>>();
    const allowed = (endpoint: string) => {
      if (this.options.allowInsecureEndpoints) return Promise.resolve('yes' as const);
      const host = new URL(endpoint).hostname;
      let answer = hostAllowed.get(host);
      if (!answer) {
        answer = lookup(host, { all: true }).then(
          (addresses) =>
            addresses.some(({ address }) => isPrivateHost(address)) ? 'private' : 'yes',
          () => 'unresolved' as const,
        );
        hostAllowed.set(host, answer);
      }
      return answer;
    };
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const target = targets[next++] as StoredPushSubscription;
        const verdict = await allowed(target.endpoint);
        if (verdict !== 'yes') {
          if (verdict === 'private') gone.push(target.endpoint);
          else {
            const host = new URL(target.endpoint).host;
            failedHosts.set(host, (failedHosts.get(host) ?? 0) + 1);
          }
          continue;
        }
        try {
          await this.send(
            { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
            payload,
            options,
          );
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) {
            gone.push(target.endpoint);
          } else {
            const host = new URL(target.endpoint).host;
            failedHosts.set(host, (failedHosts.get(host) ?? 0) + 1);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
    await this.subscriptions.expire(gone);
    for (const [host, count] of failedHosts) {
      this.log(`web push: ${count} push(es) to ${host} failed`);
    }
  }
}
