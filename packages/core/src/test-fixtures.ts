import type { Stream } from '@onair/protocol';

/** Test-only: a valid Stream resource with overrides. */
export function streamFixture(overrides: Partial<Stream> = {}): Stream {
  return {
    id: 'str_1',
    owner: { id: 'usr_1', displayName: 'Ada' },
    title: 'Office hours',
    description: '',
    category: null,
    tags: [],
    thumbnailUrl: null,
    status: 'scheduled',
    privacy: 'public',
    qualityPreset: '720p',
    recording: false,
    viewerLimit: null,
    chat: { enabled: true, mode: 'open', slowModeSeconds: 0, emoteOnly: false },
    reactionsEnabled: true,
    qnaEnabled: false,
    scheduledAt: null,
    startedAt: null,
    endedAt: null,
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
    hlsUrl: null,
    viewerCount: null,
    recordingUrl: null,
    ...overrides,
  };
}
