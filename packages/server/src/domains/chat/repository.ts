import {
  type ChatBadge,
  ChatBadgeSchema,
  type ChatMessage,
  OnAirError,
  type Page,
} from '@onair/protocol';
import { and, asc, desc, eq, gte, isNull, lt, or, type SQL } from 'drizzle-orm';
import { newId } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/database.js';
import { chatMessages, streams, users } from '../../storage/schema.js';

type MessageRow = typeof chatMessages.$inferSelect;
type UserRow = typeof users.$inferSelect;

function toMessage(message: MessageRow, author: UserRow): ChatMessage {
  return {
    id: message.id,
    streamId: message.streamId,
    author: {
      id: author.id,
      displayName: author.displayName,
      ...(author.avatarUrl ? { avatarUrl: author.avatarUrl } : {}),
      // Unknown values (from a newer server) are dropped, not passed on.
      badges: message.badges.filter((b): b is ChatBadge => ChatBadgeSchema.safeParse(b).success),
    },
    text: message.text,
    createdAt: message.createdAt.toISOString(),
  };
}

/** How far before the client's last message a resync starts, ms. */
const RESYNC_OVERLAP_MS = 2000;

/** The insertion sequence number a history cursor points at. */
function seqOf(cursor: string): number {
  const { id } = decodeCursor(cursor);
  const seq = Number(id);
  if (!/^\d{1,18}$/.test(id) || !Number.isSafeInteger(seq)) {
    throw new OnAirError('VALIDATION_FAILED', 'cursor: not a cursor this server issued');
  }
  return seq;
}

/** Reads and writes chat messages, in insertion order (`seq`). */
export class ChatRepository {
  constructor(private readonly db: Database) {}

  /** Stores a message and returns it as delivered to clients. */
  async append(
    streamId: string,
    author: { id: string; displayName: string; avatarUrl?: string; badges: ChatBadge[] },
    text: string,
  ): Promise<ChatMessage> {
    const id = newId('msg');
    // A JS timestamp (milliseconds), not now(): history cursors carry milliseconds.
    const createdAt = new Date();
    await this.db
      .insert(chatMessages)
      .values({ id, streamId, authorId: author.id, text, badges: author.badges, createdAt });
    return {
      id,
      streamId,
      author: {
        id: author.id,
        displayName: author.displayName,
        ...(author.avatarUrl ? { avatarUrl: author.avatarUrl } : {}),
        badges: author.badges,
      },
      text,
      createdAt: createdAt.toISOString(),
    };
  }

  /**
   * A page of a stream's history, newest first in the query and returned
   * oldest first; `before` is a cursor from an earlier page. Deleted messages
   * are never returned.
   */
  async history(streamId: string, limit: number, before?: string): Promise<Page<ChatMessage>> {
    const filters = [eq(chatMessages.streamId, streamId), isNull(chatMessages.deletedAt)];
    if (before) filters.push(lt(chatMessages.seq, seqOf(before)));
    const rows = await this.db
      .select({ message: chatMessages, author: users })
      .from(chatMessages)
      .innerJoin(users, eq(users.id, chatMessages.authorId))
      .where(and(...filters))
      .orderBy(desc(chatMessages.seq))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const oldest = page.at(-1);
    return {
      items: page.reverse().map(({ message, author }) => toMessage(message, author)),
      nextCursor:
        rows.length > limit && oldest
          ? encodeCursor(oldest.message.createdAt, String(oldest.message.seq))
          : null,
    };
  }

  /**
   * Messages from shortly before `messageId` on (in insertion order), for a
   * client resyncing after a reconnection. The overlap covers messages of
   * other servers that were stored just before it but reached the client
   * after it; the client drops the ones it has. `undefined` when that message
   * is unknown (the caller falls back to the latest page); `gap` when more
   * than `limit` followed.
   */
  async after(
    streamId: string,
    messageId: string,
    limit: number,
  ): Promise<{ items: ChatMessage[]; gap: boolean } | undefined> {
    const anchor = await this.db
      .select({ createdAt: chatMessages.createdAt })
      .from(chatMessages)
      .where(and(eq(chatMessages.id, messageId), eq(chatMessages.streamId, streamId)));
    const at = anchor[0]?.createdAt;
    if (at === undefined) return undefined;
    const from = new Date(at.getTime() - RESYNC_OVERLAP_MS);
    const rows = await this.shown(streamId, gte(chatMessages.createdAt, from))
      .orderBy(asc(chatMessages.seq))
      .limit(limit + 1);
    if (rows.length > limit)
      return { items: (await this.history(streamId, limit)).items, gap: true };
    return { items: rows.map(({ message, author }) => toMessage(message, author)), gap: false };
  }

  /** A stream's messages not deleted that meet `condition`, with their authors. */
  private shown(streamId: string, condition: SQL | undefined) {
    return this.db
      .select({ message: chatMessages, author: users })
      .from(chatMessages)
      .innerJoin(users, eq(users.id, chatMessages.authorId))
      .where(and(eq(chatMessages.streamId, streamId), isNull(chatMessages.deletedAt), condition));
  }

  /**
   * Messages not deleted that were sent in any of the wall-clock `ranges`
   * (`[from, to)` ms), oldest first, at most `limit`.
   */
  async between(
    streamId: string,
    ranges: ReadonlyArray<{ from: number; to: number }>,
    limit: number,
  ): Promise<ChatMessage[]> {
    if (ranges.length === 0) return [];
    const sentIn = ranges.map((range) =>
      and(
        gte(chatMessages.createdAt, new Date(range.from)),
        lt(chatMessages.createdAt, new Date(range.to)),
      ),
    );
    const rows = await this.shown(streamId, or(...sentIn))
      .orderBy(asc(chatMessages.createdAt), asc(chatMessages.seq))
      .limit(limit);
    return rows.map(({ message, author }) => toMessage(message, author));
  }

  /** Removes every message of `authorId` in a stream, or every message with null (`/clear`). */
  async removeAll(streamId: string, authorId: string | null, by: string): Promise<number> {
    const filters = [eq(chatMessages.streamId, streamId), isNull(chatMessages.deletedAt)];
    if (authorId) filters.push(eq(chatMessages.authorId, authorId));
    const removed = await this.db
      .update(chatMessages)
      .set({ deletedAt: new Date(), deletedBy: by })
      .where(and(...filters))
      .returning({ id: chatMessages.id });
    return removed.length;
  }

  /** The latest `limit` messages of a stream, oldest first. */
  async recent(streamId: string, limit: number): Promise<ChatMessage[]> {
    return (await this.history(streamId, limit)).items;
  }

  /** One live (not deleted) message of a stream. */
  async find(streamId: string, messageId: string): Promise<ChatMessage | undefined> {
    const rows = await this.db
      .select({ message: chatMessages, author: users })
      .from(chatMessages)
      .innerJoin(users, eq(users.id, chatMessages.authorId))
      .where(
        and(
          eq(chatMessages.id, messageId),
          eq(chatMessages.streamId, streamId),
          isNull(chatMessages.deletedAt),
        ),
      )
      .limit(1);
    const row = rows[0];
    return row ? toMessage(row.message, row.author) : undefined;
  }

  /** Removes a message (soft delete, with who did it); false if there was none. Unpins it. */
  async delete(streamId: string, messageId: string, by: string): Promise<boolean> {
    const removed = await this.db
      .update(chatMessages)
      .set({ deletedAt: new Date(), deletedBy: by })
      .where(
        and(
          eq(chatMessages.id, messageId),
          eq(chatMessages.streamId, streamId),
          isNull(chatMessages.deletedAt),
        ),
      )
      .returning({ id: chatMessages.id });
    if (removed.length === 0) return false;
    await this.db
      .update(streams)
      .set({ pinnedMessageId: null })
      .where(and(eq(streams.id, streamId), eq(streams.pinnedMessageId, messageId)));
    return true;
  }

  /** The stream's pinned message, if any (and not deleted). */
  async pinned(streamId: string): Promise<ChatMessage | null> {
    const rows = await this.db
      .select({ id: streams.pinnedMessageId })
      .from(streams)
      .where(eq(streams.id, streamId));
    const id = rows[0]?.id;
    return id ? ((await this.find(streamId, id)) ?? null) : null;
  }

  /** Pins a message (replacing any other) or unpins with null. */
  async setPinned(streamId: string, messageId: string | null): Promise<void> {
    await this.db
      .update(streams)
      .set({ pinnedMessageId: messageId })
      .where(eq(streams.id, streamId));
  }
}
