import { type ChatBadge, ChatBadgeSchema, type ChatMessage } from '@onair/protocol';
import { desc, eq } from 'drizzle-orm';
import { newId } from '../ids.js';
import type { Database } from './database.js';
import { chatMessages, users } from './schema.js';

/** Reads and writes chat messages. */
export class ChatRepository {
  constructor(private readonly db: Database) {}

  /** Stores a message and returns it as delivered to clients. */
  async append(
    streamId: string,
    author: { id: string; displayName: string; badges: ChatBadge[] },
    text: string,
  ): Promise<ChatMessage> {
    const id = newId('msg');
    const [row] = await this.db
      .insert(chatMessages)
      .values({
        id,
        streamId,
        authorId: author.id,
        text,
        badges: author.badges,
        createdAt: new Date(),
      })
      .returning({ createdAt: chatMessages.createdAt });
    return {
      id,
      streamId,
      author: { id: author.id, displayName: author.displayName, badges: author.badges },
      text,
      createdAt: (row?.createdAt ?? new Date()).toISOString(),
    };
  }

  /** The latest `limit` messages of a stream, oldest first. */
  async recent(streamId: string, limit: number): Promise<ChatMessage[]> {
    const rows = await this.db
      .select({ message: chatMessages, author: users })
      .from(chatMessages)
      .innerJoin(users, eq(users.id, chatMessages.authorId))
      .where(eq(chatMessages.streamId, streamId))
      .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
      .limit(limit);
    return rows.reverse().map(({ message, author }) => ({
      id: message.id,
      streamId: message.streamId,
      author: {
        id: author.id,
        displayName: author.displayName,
        // Unknown values (from a newer server) are dropped, not passed on.
        badges: message.badges.filter((b): b is ChatBadge => ChatBadgeSchema.safeParse(b).success),
      },
      text: message.text,
      createdAt: message.createdAt.toISOString(),
    }));
  }
}
