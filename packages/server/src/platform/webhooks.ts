import { createHmac, randomUUID } from 'node:crypto';
import {
  type Stream,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
  type WebhookEventType,
} from '@onair/protocol';
import type { InternalBus } from './events.js';

/** Retry policy of webhook deliveries. */
export interface WebhookRetryPolicy {
  /** Attempts per event and endpoint, the first included (across restarts). */
  maxAttempts: number;
  /** Delay before the first retry, doubled each time, ms. */
  baseDelayMs: number;
  /** Time one attempt may take, ms. */
  timeoutMs: number;
}

/** A host-app endpoint that receives signed webhook events. */
export interface WebhookTarget {
  /** Where events are POSTed. */
  url: string;
  /**
   * Shared secret for the `onair-signature` HMAC (at least 16 characters).
   * To rotate it, give the new and the old (`[next, current]`, up to
   * {@link MAX_WEBHOOK_SECRETS}): each delivery then carries a `v1=` per
   * secret, so the endpoint accepts it with either while it moves to the new
   * one; drop the old one after.
   */
  secret: string | readonly string[];
  /** Events to send. Default: all. */
  events?: WebhookEventType[];
}

/** One delivery in the outbox: an event for one endpoint. */
export interface OutboxDelivery {
  id: string;
  /** The event's id, the same in every attempt. */
  eventId: string;
  targetUrl: string;
  /** The JSON body, exactly as sent and signed. */
  body: string;
  /** Attempts counted so far, the one just claimed included. */
  attempts: number;
}

/**
 * Where deliveries wait until they are made (the database): written before
 * the first attempt, so deliveries pending when a server stops or crashes
 * are made after it restarts. Secrets are never stored: they stay in the
 * configuration and are looked up by URL.
 */
export interface WebhookOutbox {
  /** Keeps new deliveries, due at once. */
  add(deliveries: ReadonlyArray<Omit<OutboxDelivery, 'id' | 'attempts'>>): Promise<void>;
  /**
   * Claims up to `limit` due deliveries for `leaseMs` (no server claims them
   * again meanwhile) and counts the attempt.
   */
  claim(limit: number, leaseMs: number): Promise<OutboxDelivery[]>;
  /** Removes a delivery: made, or given up. */
  remove(id: string): Promise<void>;
  /** Releases a failed delivery until `delayMs` from now. */
  retryIn(id: string, delayMs: number, error: string): Promise<void>;
  /** Ms until the next delivery is due (0: now); undefined when none is pending. */
  nextDueIn(): Promise<number | undefined>;
}

/** The most secrets of one endpoint: `verifyWebhook` reads four `v1=` entries. */
export const MAX_WEBHOOK_SECRETS = 4;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`, with a `v1=` for
 * each secret, in their order.
 */
export function signWebhook(
  secret: string | readonly string[],
  timestamp: number,
  body: string,
): string {
  const macs = [secret]
    .flat()
    .map((key) => `v1=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`);
  return `t=${timestamp},${macs.join(',')}`;
}

/** Deliveries claimed per round. */
const BATCH = 20;
/** Longest wait between two looks at the outbox (rows of a server that died). */
const IDLE_POLL_MS = 30_000;
/** Wait before trying again when the outbox itself failed (database down). */
const OUTBOX_RETRY_MS = 2_000;
/** Longest backoff between two attempts. */
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Posts signed stream events to the host app's endpoints through an
 * {@link WebhookOutbox}: each event is kept for every endpoint that wants
 * it before the first attempt, retried after failures (network errors,
 * non-2xx answers) with exponential backoff, after a restart too, and
 * removed once delivered or given up. Every attempt of an event carries the
 * same id (body `id`, header `OnAir-Event-Id`) for the receiver to skip
 * duplicates.
 */
export class WebhookDispatcher {
  private readonly pending = new Set<Promise<unknown>>();
  /** Wakes the waits between attempts to keep an event, on close. */
  private readonly wakers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private closed = false;

  constructor(
    private readonly targets: readonly WebhookTarget[],
    private readonly outbox: WebhookOutbox,
    private readonly log: (message: string) => void,
    private readonly policy: WebhookRetryPolicy,
    private readonly fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
  ) {}

  /** Sends the bus's stream events; returns the detach function. */
  attach(bus: InternalBus): () => void {
    const offs = [
      bus.on('stream:scheduled', (s) => this.send('stream.scheduled', s)),
      bus.on('stream:started', (s) => this.send('stream.started', s)),
      bus.on('stream:ended', (s) => this.send('stream.ended', s)),
      bus.on('stream:cancelled', (s) => this.send('stream.cancelled', s)),
      bus.on('recording:ready', (s) => this.send('recording.ready', s)),
      bus.on('recording:incomplete', (s) => this.send('recording.incomplete', s)),
      bus.on('stream:summary', ({ stream, summary }) =>
        this.send('stream.summary', stream, { summary }),
      ),
      bus.on('clip:created', ({ stream, clip }) => this.send('clip.created', stream, { clip })),
      bus.on('notifications:sent', ({ stream, notification, userIds }) =>
        this.send('notifications.sent', stream, {
          notification: { kind: notification.kind, userIds },
        }),
      ),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Starts delivering, beginning with what an earlier run left in the outbox. */
  start(): void {
    if (this.targets.length > 0) this.pump();
  }

  /**
   * Keeps one event for every target that wants it, then delivers it. Never
   * rejects: an outbox that fails is logged and tried again.
   */
  send(
    type: WebhookEventType,
    stream: Stream,
    more: Omit<WebhookEvent['data'], 'stream'> = {},
  ): Promise<void> {
    const event: WebhookEvent = {
      id: `evt_${randomUUID()}`,
      type,
      createdAt: new Date().toISOString(),
      data: { stream, ...more },
    };
    const body = JSON.stringify(event);
    const deliveries = this.targets
      .filter((target) => !target.events || target.events.includes(type))
      .map((target) => ({ eventId: event.id, targetUrl: target.url, body }));
    if (deliveries.length === 0) return Promise.resolve();
    return this.track(this.keep(event, deliveries, 1));
  }

  /** Writes deliveries to the outbox, trying again while it fails (and the server runs). */
  private async keep(
    event: WebhookEvent,
    deliveries: ReadonlyArray<Omit<OutboxDelivery, 'id' | 'attempts'>>,
    attempt: number,
  ): Promise<void> {
    try {
      await this.outbox.add(deliveries);
      this.pump();
    } catch (error) {
      if (this.closed || attempt >= this.policy.maxAttempts) {
        this.log(`webhook ${event.type} ${event.id} could not be kept (${reason(error)}); dropped`);
        return;
      }
      this.log(`webhook ${event.type} ${event.id} could not be kept (${reason(error)}); retrying`);
      await this.sleep(this.backoff(attempt));
      await this.keep(event, deliveries, attempt + 1);
    }
  }

  /** Delivers what is due, then sleeps until the next delivery is. Single-flight. */
  private pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.track(
      this.round()
        .catch((error: unknown) => {
          this.log(`webhook outbox: ${reason(error)}`);
          return OUTBOX_RETRY_MS;
        })
        .then((wait) => {
          this.pumping = false;
          if (this.closed) return;
          if (this.again) {
            this.again = false;
            this.pump();
            return;
          }
          this.timer = setTimeout(() => this.pump(), wait);
          this.timer.unref();
        }),
    );
  }

  /** Claims and attempts due deliveries until none is left; returns how long to sleep, ms. */
  private async round(): Promise<number> {
    const leaseMs = this.policy.timeoutMs * 2 + 1_000;
    for (;;) {
      this.again = false;
      const claimed = await this.outbox.claim(BATCH, leaseMs);
      await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      if (this.closed) return IDLE_POLL_MS;
      if (claimed.length < BATCH && !this.again) break;
    }
    const next = await this.outbox.nextDueIn();
    return Math.min(next ?? IDLE_POLL_MS, IDLE_POLL_MS);
  }

  private async attempt(delivery: OutboxDelivery): Promise<void> {
    const target = this.targets.find((t) => t.url === delivery.targetUrl);
    if (!target) {
      this.log(
        `webhook ${delivery.eventId}: ${hostOf(delivery.targetUrl)} is no longer configured; dropped`,
      );
      await this.outbox.remove(delivery.id);
      return;
    }
    try {
      await this.post(target, delivery);
    } catch (error) {
      if (delivery.attempts >= this.policy.maxAttempts) {
        this.log(
          `webhook ${delivery.eventId} to ${hostOf(target.url)} failed ${delivery.attempts} times (${reason(error)}); giving up`,
        );
        await this.outbox.remove(delivery.id);
      } else {
        await this.outbox.retryIn(delivery.id, this.backoff(delivery.attempts), reason(error));
      }
      return;
    }
    await this.outbox.remove(delivery.id);
  }

  private backoff(attempt: number): number {
    return Math.min(MAX_BACKOFF_MS, this.policy.baseDelayMs * 2 ** (attempt - 1));
  }

  private async post(target: WebhookTarget, delivery: OutboxDelivery): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await this.fetchImpl(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'OnAir-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, delivery.body),
        [WEBHOOK_EVENT_ID_HEADER]: delivery.eventId,
      },
      body: delivery.body,
      signal: AbortSignal.timeout(this.policy.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  }

  /** Waits `ms`, or less if the dispatcher closes meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /**
   * Stops delivering; waits for events being kept and attempts under way, so
   * their outcome is in the outbox before storage closes. What is left is
   * delivered by the next start. Idempotent.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const wake of [...this.wakers]) wake();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The host of an endpoint's URL: what logs name (its path or query may hold a secret). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an endpoint';
  }
}
