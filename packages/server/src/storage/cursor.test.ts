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

  describe('on the real server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('answers 400 VALIDATION_FAILED, not 500, to a forged cursor on every paged list', async () => {
      const viewer = await server.token('Pager');
      const cursor = forged(['0000-01-01T00:00:00Z', 'x']);
      for (const path of [
        '/v1/streams',
        '/v1/streams?status=ended',
        '/v1/me/streams',
        '/v1/me/notifications',
        `/v1/channels/${viewer.userId}/followers`,
      ]) {
        const separator = path.includes('?') ? '&' : '?';
        const response = await server.request(`${path}${separator}cursor=${cursor}`, {
          token: viewer.token,
        });
        expect([path, response.status]).toEqual([path, 400]);
        expect(ErrorEnvelopeSchema.parse(await response.json()).code).toBe('VALIDATION_FAILED');
      }
    });
  });
});
