import { OnAirError } from '@onair/protocol';
import { z } from 'zod';

/** Instants a cursor may hold: the ones the server writes (the database refuses year 0, for one). */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/**
 * Ids a cursor may hold: those the server writes, all URL-safe (`IdSchema`'s
 * alphabet): row ids (`str_…`, `clp_…`), user ids, a notification's
 * `<kind>-<stream id>`, chat's sequence numbers. Anything else (a NUL, which
 * PostgreSQL refuses in text) was forged, and never reaches SQL.
 */
const CursorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id');

const CursorSchema = z.tuple([
  z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) >= EARLIEST && Date.parse(at) <= LATEST, 'out of range'),
  CursorIdSchema,
]);

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
