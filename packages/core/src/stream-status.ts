import type { StreamStatus } from '@onair/protocol';

/** Whether a stream in `status` is over (ended or cancelled): nothing more happens live. */
export const isStreamOver = (status: StreamStatus): boolean =>
  status === 'ended' || status === 'cancelled';
