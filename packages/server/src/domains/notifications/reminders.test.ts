import { CreateStreamInputSchema } from '@onair/protocol/inputs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { hlsUrlFor } from '../../media/hls/urls.js';
import { InternalBus } from '../../platform/events.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { StreamRepository } from '../streams/repository.js';
import { NotificationRepository } from './repository.js';
import { NotificationService } from './service.js';

/*
 * The reminder loop on fake timers (#21 item 1): with a 10 min lead and a
 * check every 30 s, a stream scheduled 30 min ahead reminds nobody for 20 min,
 * then exactly once, at the first check inside the lead; a stream that started
 * meanwhile reminds nobody. Storage is real (PGlite, or PostgreSQL).
 */
let database: OpenDatabase;
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  const scratch = base ? await scratchDatabase(base) : undefined;
  drop = scratch?.drop;
  database = await openDatabase({ databaseUrl: scratch?.url });
}, 60_000);
afterAll(async () => {
  await database?.close();
  await drop?.();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reminders on fake timers', () => {
  it('reminds once, at the first check within the lead time, and only of a stream still scheduled', async () => {
    // Only the interval and the clock are faked: the database's own I/O runs for real.
    vi.useFakeTimers({
      toFake: ['setInterval', 'clearInterval', 'Date'],
      now: Date.parse('2026-12-04T20:00:00Z'),
    });
    const streams = new StreamRepository(database.db, hlsUrlFor);
    const notifications = new NotificationRepository(database.db);
    await streams.upsertUser({ id: 'usr_teacher', displayName: 'Teacher' });
    await streams.upsertUser({ id: 'usr_student', displayName: 'Student' });
    const inHalfAnHour = new Date(Date.now() + 30 * 60_000).toISOString();
    const lesson = await streams.create(
      'usr_teacher',
      CreateStreamInputSchema.parse({ title: 'Lesson', scheduledAt: inHalfAnHour }),
      'k1',
    );
    const started = await streams.create(
      'usr_teacher',
      CreateStreamInputSchema.parse({ title: 'Early', scheduledAt: inHalfAnHour }),
      'k2',
    );
    await notifications.setReminder(lesson.id, 'usr_student', true);
    await notifications.setReminder(started.id, 'usr_student', true);

    const bus = new InternalBus(() => undefined);
    const told: Array<{ kind: string; streamId: string; at: number }> = [];
    bus.on('notifications:sent', ({ notification, userIds }) => {
      if (userIds.includes('usr_student')) {
        told.push({ kind: notification.kind, streamId: notification.stream.id, at: Date.now() });
      }
    });
    const service = new NotificationService({
      notifications,
      streams,
      bus,
      reminderLeadMs: 10 * 60_000,
      reminderCheckMs: 30_000,
      log: () => undefined,
    });
    const stop = service.start();
    try {
      // 19.5 minutes in: both streams are still 10.5 min away or more.
      await vi.advanceTimersByTimeAsync(19.5 * 60_000);
      await service.remindDue();
      expect(told).toEqual([]);
      // The early stream starts: its reminder is no longer due.
      await streams.transition(started.id, 'scheduled', 'live');
      // The check at 20:00 of the lead (20 min in) finds the lesson due.
      await vi.advanceTimersByTimeAsync(60_000);
      await service.remindDue();
      expect(told.map((t) => t.streamId)).toEqual([lesson.id]);
      expect(told[0]?.kind).toBe('reminder');
      expect(told[0]?.at).toBeLessThanOrEqual(Date.parse('2026-12-04T20:20:30Z'));
      // Later checks do not tell it again.
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      await service.remindDue();
      expect(told).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
