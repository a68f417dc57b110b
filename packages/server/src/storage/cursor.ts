import { OnAirError } from '@onair/protocol';
import { z } from 'zod';

const CursorSchema = z.tuple([z.iso.datetime({ offset: true }), z.string().max(64)]);

/** Encodes a keyset position (timestamp, id) as an opaque cursor. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/** Decodes a cursor; a tampered or foreign cursor is a `VALIDATION_FAILED` error. */
export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return { at: new Date(at), id };
  } catch (cause) {
    throw new OnAirError(
      'VALIDATION_FAILED',
      'cursor: not a cursor this server issued',
      undefined,
      {
        cause,
      },
    );
  }
}
