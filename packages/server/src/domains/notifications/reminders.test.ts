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

  it('reminds again before a new start time, and only those who asked and were not yet told', async () => {
    // The clock is set, and each check run, by the test: the interval never fires.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const at = (time: string) => new Date(`2026-12-05T${time}Z`).toISOString();
    const checkAt = async (time: string) => {
      vi.setSystemTime(new Date(at(time)));
      await service.remindDue();
    };
    vi.setSystemTime(new Date(at('20:00:00')));
    const streams = new StreamRepository(database.db, hlsUrlFor);
    const notifications = new NotificationRepository(database.db);
    for (const id of ['usr_host', 'usr_early', 'usr_late']) {
      await streams.upsertUser({ id, displayName: id });
    }
    const lesson = await streams.create(
      'usr_host',
      CreateStreamInputSchema.parse({ title: 'Moved', scheduledAt: at('20:30:00') }),
      'k3',
    );
    await notifications.setReminder(lesson.id, 'usr_early', true);
    const bus = new InternalBus(() => undefined);
    const told: Array<{ userId: string; at: string }> = [];
    bus.on('notifications:sent', ({ notification, userIds }) => {
      if (notification.kind !== 'reminder' || notification.stream.id !== lesson.id) return;
      for (const userId of userIds) told.push({ userId, at: notification.createdAt });
    });
    const service = new NotificationService({
      notifications,
      streams,
      bus,
      reminderLeadMs: 10 * 60_000,
      reminderCheckMs: 30_000,
      log: () => undefined,
    });
    const reminder = async (userId: string) =>
      (await notifications.inbox({ userId, admin: false }, 10)).items.find(
        (n) => n.kind === 'reminder',
      );
    const stop = service.start();
    try {
      await checkAt('20:19:59');
      expect(told).toEqual([]);
      await checkAt('20:20:00');
      expect(told).toEqual([{ userId: 'usr_early', at: at('20:20:00.000') }]);
      // Asked after the reminder went out: told at the next check, alone.
      await notifications.setReminder(lesson.id, 'usr_late', true);
      await checkAt('20:20:30');
      expect(told.slice(1)).toEqual([{ userId: 'usr_late', at: at('20:20:30.000') }]);

      // Postponed by an hour, as the stream service announces it: the reminders sent told
      // of the old time, and leave the inboxes.
      vi.setSystemTime(new Date(at('20:25:00')));
      const moved = await streams.update(lesson.id, { scheduledAt: at('21:30:00') }, 'scheduled');
      bus.emit('stream:scheduled', moved);
      await expect.poll(() => reminder('usr_early')).toBeUndefined();
      await checkAt('20:25:30');
      await checkAt('21:19:59');
      expect(told).toHaveLength(2);
      // Reminded again before the new time, each once: new and unread in the inbox.
      await checkAt('21:20:00');
      expect(told.slice(2)).toEqual([
        { userId: 'usr_early', at: at('21:20:00.000') },
        { userId: 'usr_late', at: at('21:20:00.000') },
      ]);
      for (const userId of ['usr_early', 'usr_late']) {
        expect(await reminder(userId)).toMatchObject({
          createdAt: at('21:20:00.000'),
          read: false,
          stream: { scheduledAt: at('21:30:00.000') },
        });
      }
      await checkAt('21:25:00');
      expect(told).toHaveLength(4);
    } finally {
      await stop();
    }
  });
});
