import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Users known to the server: created on first authenticated request. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Streams and their lifecycle. The stream key is kept only as an HMAC. */
export const streams = pgTable(
  'streams',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['scheduled', 'live', 'ended', 'cancelled'] }).notNull(),
    privacy: text('privacy', { enum: ['public', 'unlisted', 'followers', 'private'] }).notNull(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true, mode: 'date' }),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    streamKeyHash: text('stream_key_hash').notNull(),
  },
  (table) => [
    index('streams_status_started_idx').on(table.status, table.startedAt, table.id),
    index('streams_owner_idx').on(table.ownerId, table.createdAt),
  ],
);

/** Chat messages, kept for history and replay. */
export const chatMessages = pgTable(
  'chat_messages',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('chat_messages_stream_created_idx').on(table.streamId, table.createdAt, table.id),
  ],
);
