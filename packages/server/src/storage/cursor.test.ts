import { ErrorEnvelopeSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** A cursor as a client could forge one: any JSON, base64url. */
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursors', () => {
  it('decode what the server encodes', () => {
    const at = new Date('2026-12-06T08:00:00.000Z');
    expect(decodeCursor(encodeCursor(at, 'str_1'))).toEqual({ at, id: 'str_1' });
  });

  it('refuse a forged instant the database cannot hold, typed', () => {
    for (const at of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1969-12-31T23:59:59Z']) {
      expect(() => decodeCursor(forged([at, 'x']))).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  it('decode the ids every paged list writes', () => {
    const at = new Date('2026-12-06T08:00:00.000Z');
    for (const id of [
      'str_Xa81-_Qz0123456789ab', // a row id (newId): streams, clips
      'reminder-str_Xa81-_Qz0123456789ab', // a notification: <kind>-<stream id>
      '12345678901234', // a chat message's sequence number
      'u'.repeat(64), // a user id (a follower) as long as a token's subject may be
    ]) {
      expect(decodeCursor(encodeCursor(at, id))).toEqual({ at, id });
    }
  });

  it('refuse a forged id out of the ids’ alphabet (a NUL reaches SQL as a 500), typed', () => {
    for (const id of ['str_1\u0000', 'a b', "x'--", 'é', '', 'u'.repeat(65)]) {
      expect(() => decodeCursor(forged(['2026-12-06T08:00:00Z', id])), id).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  describe('on the real server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('answers 400 VALIDATION_FAILED, not 500, to a forged cursor on every paged list', async () => {
      const viewer = await server.token('Pager', { roles: ['broadcaster'] });
      const streamId = await server.liveStream(viewer.token);
      const cursors = {
        'year 0': forged(['0000-01-01T00:00:00Z', 'x']),
        'a NUL in the id': forged(['2026-12-06T08:00:00Z', 'str_1\u0000']),
      };
      for (const [what, cursor] of Object.entries(cursors)) {
        for (const path of [
          '/v1/streams',
          '/v1/streams?status=ended',
          '/v1/me/streams',
          '/v1/me/notifications',
          `/v1/channels/${viewer.userId}/followers`,
          `/v1/streams/${streamId}/clips`,
        ]) {
          const separator = path.includes('?') ? '&' : '?';
          const response = await server.request(`${path}${separator}cursor=${cursor}`, {
            token: viewer.token,
          });
          const { code } = ErrorEnvelopeSchema.parse(await response.json());
          expect([what, path, response.status, code]).toEqual([
            what,
            path,
            400,
            'VALIDATION_FAILED',
          ]);
        }
      }
    });
  });
});
