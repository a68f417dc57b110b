import { createHmac, randomUUID } from 'node:crypto';
import {
  type Stream,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
  type WebhookEventType,
} from '@onair/protocol';
import type { InternalBus } from './events.js';

/** Retry policy of webhook deliveries. */
export interface WebhookRetryPolicy {
  /** Attempts per event and endpoint, the first included. */
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
  /** Shared secret for the `onair-signature` HMAC (at least 16 characters). */
  secret: string;
  /** Events to send. Default: all. */
  events?: WebhookEventType[];
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Posts signed stream events to the host app's endpoints, retrying failures
 * (network errors, non-2xx answers) with exponential backoff. Deliveries are
 * kept in memory: events still pending when the server stops are dropped and
 * logged.
 */
export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly targets: readonly WebhookTarget[],
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
      bus.on('recording:ready', (s) => this.send('recording.ready', s)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Queues one event for every target that wants it. */
  send(type: WebhookEventType, stream: Stream): void {
    if (this.closed) return;
    const event: WebhookEvent = {
      id: `evt_${randomUUID()}`,
      type,
      createdAt: new Date().toISOString(),
      data: { stream },
    };
    const body = JSON.stringify(event);
    for (const target of this.targets) {
      if (target.events && !target.events.includes(type)) continue;
      this.attempt(target, event, body, 1);
    }
  }

  private attempt(target: WebhookTarget, event: WebhookEvent, body: string, attempt: number): void {
    const run = this.deliver(target, body).then(
      () => undefined,
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        if (this.closed) return;
        if (attempt >= this.policy.maxAttempts) {
          this.log(
            `webhook ${event.type} ${event.id} to ${target.url} failed ${attempt} times (${reason}); giving up`,
          );
          return;
        }
        const delay = this.policy.baseDelayMs * 2 ** (attempt - 1);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(target, event, body, attempt + 1);
        }, delay);
        this.timers.add(timer);
      },
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async deliver(target: WebhookTarget, body: string): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await this.fetchImpl(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'OnAir-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.policy.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  }

  /** Cancels pending retries and waits for attempts under way. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timers.size) this.log(`dropping ${this.timers.size} pending webhook retries`);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
