import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { newId } from '../platform/ids.js';
import type { OutboxDelivery, WebhookOutbox } from '../platform/webhooks.js';
import type { Database } from './database.js';
import { webhookOutbox } from './schema.js';

/** `now() + ms`, in the database's clock (the one every server sharing it agrees on). */
const nowPlus = (ms: number) =>
  sql`now() + ${Math.max(0, Math.round(ms))} * interval '1 millisecond'`;

/**
 * The webhook outbox in the database. Due rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease (`claimed_until`), so servers
 * sharing a PostgreSQL database never attempt the same delivery at once,
 * and a server that dies mid-attempt leaves its rows to be claimed again
 * once the lease runs out.
 */
export class DatabaseWebhookOutbox implements WebhookOutbox {
  constructor(private readonly db: Database) {}

  async add(deliveries: ReadonlyArray<Omit<OutboxDelivery, 'id' | 'attempts'>>): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db.insert(webhookOutbox).values(
      deliveries.map((delivery) => ({
        id: newId('whd'),
        eventId: delivery.eventId,
        targetUrl: delivery.targetUrl,
        body: delivery.body,
      })),
    );
  }

  async claim(limit: number, leaseMs: number): Promise<OutboxDelivery[]> {
    const due = this.db
      .select({ id: webhookOutbox.id })
      .from(webhookOutbox)
      .where(
        and(
          lte(webhookOutbox.nextAttemptAt, sql`now()`),
          or(isNull(webhookOutbox.claimedUntil), lt(webhookOutbox.claimedUntil, sql`now()`)),
        ),
      )
      .orderBy(asc(webhookOutbox.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.db
      .update(webhookOutbox)
      .set({ claimedUntil: nowPlus(leaseMs), attempts: sql`${webhookOutbox.attempts} + 1` })
      .where(inArray(webhookOutbox.id, due))
      .returning({
        id: webhookOutbox.id,
        eventId: webhookOutbox.eventId,
        targetUrl: webhookOutbox.targetUrl,
        body: webhookOutbox.body,
        attempts: webhookOutbox.attempts,
      });
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(webhookOutbox).where(eq(webhookOutbox.id, id));
  }

  async retryIn(id: string, delayMs: number, error: string): Promise<void> {
    await this.db
      .update(webhookOutbox)
      .set({ nextAttemptAt: nowPlus(delayMs), claimedUntil: null, lastError: error.slice(0, 500) })
      .where(eq(webhookOutbox.id, id));
  }

  async nextDueIn(): Promise<number | undefined> {
    // A claimed row is due again when its lease runs out (its server may have died).
    const rows = await this.db
      .select({
        ms: sql<
          string | number | null
        >`extract(epoch from (min(greatest(${webhookOutbox.nextAttemptAt}, coalesce(${webhookOutbox.claimedUntil}, ${webhookOutbox.nextAttemptAt}))) - now())) * 1000`,
      })
      .from(webhookOutbox);
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? undefined : Math.max(0, Number(ms));
  }
}
