import type { CreateStreamInput, Page, Stream, StreamStatus } from '@onair/protocol';
import { canTransition, OnAirError } from '@onair/protocol';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { newId } from '../ids.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Database } from './database.js';
import { streams, users } from './schema.js';

type StreamRow = typeof streams.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** Reads and writes streams. */
export class StreamRepository {
  constructor(
    private readonly db: Database,
    private readonly hlsUrlFor: (streamId: string) => string,
  ) {}

  /** Creates or renames a user on sight (identity comes from the host app's token). */
  async upsertUser(id: string, displayName: string): Promise<void> {
    await this.db
      .insert(users)
      .values({ id, displayName })
      .onConflictDoUpdate({ target: users.id, set: { displayName } });
  }

  /** Creates a stream; `streamKeyHash` is the HMAC of its key. */
  async create(ownerId: string, input: CreateStreamInput, streamKeyHash: string): Promise<Stream> {
    const id = newId('str');
    await this.db.insert(streams).values({
      id,
      ownerId,
      title: input.title,
      description: input.description,
      privacy: input.privacy,
      status: 'scheduled',
      scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
      streamKeyHash,
    });
    return this.require(id);
  }

  /** A stream by id, or undefined. */
  async find(id: string): Promise<Stream | undefined> {
    const rows = await this.db
      .select({ stream: streams, owner: users })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.ownerId))
      .where(eq(streams.id, id))
      .limit(1);
    const row = rows[0];
    return row ? this.toStream(row.stream, row.owner) : undefined;
  }

  /** A stream by id; `NOT_FOUND` when it does not exist. */
  async require(id: string): Promise<Stream> {
    const stream = await this.find(id);
    if (!stream) throw new OnAirError('NOT_FOUND', 'Stream not found');
    return stream;
  }

  /** The stored HMAC of a stream's key. */
  async streamKeyHash(id: string): Promise<string | undefined> {
    const rows = await this.db
      .select({ hash: streams.streamKeyHash })
      .from(streams)
      .where(eq(streams.id, id));
    return rows[0]?.hash;
  }

  /** Public live streams, newest first, with keyset pagination. */
  async listLive(limit: number, cursor?: string): Promise<Page<Stream>> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const filters = [eq(streams.status, 'live'), eq(streams.privacy, 'public')];
    if (after) {
      const older = or(
        lt(streams.startedAt, after.at),
        and(eq(streams.startedAt, after.at), lt(streams.id, after.id)),
      );
      if (older) filters.push(older);
    }
    const rows = await this.db
      .select({ stream: streams, owner: users })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.ownerId))
      .where(and(...filters))
      .orderBy(desc(streams.startedAt), desc(streams.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last?.stream.startedAt
        ? encodeCursor(last.stream.startedAt, last.stream.id)
        : null;
    return { items: page.map((r) => this.toStream(r.stream, r.owner)), nextCursor };
  }

  /**
   * Moves a stream along its lifecycle. Only the owner may; an illegal
   * transition is a `CONFLICT`. The update is conditional on the status read,
   * so two racing calls cannot both succeed.
   */
  async transition(id: string, actorId: string, to: StreamStatus): Promise<Stream> {
    const current = await this.require(id);
    if (current.owner.id !== actorId) {
      throw new OnAirError('FORBIDDEN', 'Only the stream owner may do this');
    }
    if (!canTransition(current.status, to)) {
      throw new OnAirError('CONFLICT', `A ${current.status} stream cannot become ${to}`, {
        status: current.status,
      });
    }
    const now = new Date();
    const updated = await this.db
      .update(streams)
      .set({
        status: to,
        ...(to === 'live' ? { startedAt: now } : {}),
        ...(to === 'ended' || to === 'cancelled' ? { endedAt: now } : {}),
      })
      .where(and(eq(streams.id, id), eq(streams.status, current.status)))
      .returning({ id: streams.id });
    if (updated.length === 0) {
      throw new OnAirError('CONFLICT', 'The stream changed meanwhile; try again');
    }
    return this.require(id);
  }

  private toStream(row: StreamRow, owner: UserRow): Stream {
    return {
      id: row.id,
      owner: { id: owner.id, displayName: owner.displayName },
      title: row.title,
      description: row.description,
      status: row.status,
      privacy: row.privacy,
      scheduledAt: row.scheduledAt?.toISOString() ?? null,
      startedAt: row.startedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      hlsUrl: row.status === 'live' ? this.hlsUrlFor(row.id) : null,
    };
  }
}
