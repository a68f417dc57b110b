import type { AnalyticsRepository } from './repository.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Keeps the analytics tables in shape: the months of events are created
 * ahead (now, and again every day), and what is older than `retentionDays`
 * is dropped every day. A failed round is logged; the next one tries again.
 * Returns the function that stops it.
 */
export async function startAnalyticsUpkeep(
  store: AnalyticsRepository,
  retentionDays: number,
  log: (message: string) => void,
): Promise<() => void> {
  await store.ensurePartitions(new Date());
  const round = async () => {
    try {
      await store.ensurePartitions(new Date());
      await store.prune(new Date(Date.now() - retentionDays * DAY_MS));
    } catch (error) {
      log(`analytics upkeep: ${String(error)}`);
    }
  };
  const timer = setInterval(round, DAY_MS);
  timer.unref();
  void round();
  return () => clearInterval(timer);
}
