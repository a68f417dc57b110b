import type { UserSummary } from '@onair/protocol';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { streamMarkers, users } from '../../storage/schema.js';

/** A marker as stored. */
export interface StoredMarker {
  id: string;
  streamId: string;
  title: string;
  createdBy: UserSummary;
  at: Date;
}

/** Markers of streams (their recordings' chapters). */
export class MarkerRepository {
  constructor(private readonly db: Database) {}

  /** Stores a marker. */
  async create(marker: Omit<StoredMarker, 'createdBy'> & { createdBy: string }): Promise<void> {
    await this.db.insert(streamMarkers).values(marker);
  }

  /** A stream's markers, oldest first. */
  async list(streamId: string): Promise<StoredMarker[]> {
    const rows = await this.db
      .select({ marker: streamMarkers, by: users })
      .from(streamMarkers)
      .innerJoin(users, eq(users.id, streamMarkers.createdBy))
      .where(eq(streamMarkers.streamId, streamId))
      .orderBy(asc(streamMarkers.at), asc(streamMarkers.id));
    return rows.map(({ marker, by }) => ({
      ...marker,
      createdBy: { id: by.id, displayName: by.displayName },
    }));
  }

  /** How many markers a stream has. */
  async count(streamId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(streamMarkers)
      .where(eq(streamMarkers.streamId, streamId));
    return Number(row?.n ?? 0);
  }

  /** Deletes a stream's marker; false when there was none. */
  async delete(streamId: string, id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(streamMarkers)
      .where(and(eq(streamMarkers.streamId, streamId), eq(streamMarkers.id, id)))
      .returning({ id: streamMarkers.id });
    return deleted.length > 0;
  }
}
