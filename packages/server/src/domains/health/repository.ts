import type { StreamHealth } from '@onair/protocol';
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { streamHealth } from '../../storage/schema.js';

/** Stored stream health reports. */
export class HealthRepository {
  constructor(private readonly db: Database) {}

  /** Keeps a report. */
  async add(report: StreamHealth): Promise<void> {
    await this.db
      .insert(streamHealth)
      .values({ streamId: report.streamId, at: new Date(report.at), report })
      .onConflictDoNothing();
  }

  /** The newest reports of a stream, newest first. */
  async recent(streamId: string, limit = 60): Promise<StreamHealth[]> {
    const rows = await this.db
      .select({ report: streamHealth.report })
      .from(streamHealth)
      .where(eq(streamHealth.streamId, streamId))
      .orderBy(desc(streamHealth.at))
      .limit(limit);
    return rows.map((r) => r.report);
  }
}
