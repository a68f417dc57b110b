import * as z from 'zod';

/** Opaque identifiers are URL-safe strings of bounded length. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be URL-safe (A-Z, a-z, 0-9, _ and -)');

/** Timestamps travel as ISO 8601 strings with an offset. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** A page of results with an opaque cursor for the next page (absent on the last page). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
  });
}

/** A page of `T` with an opaque cursor. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Query parameters shared by every paginated list. */
export const PageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Parsed pagination query. */
export type PageQuery = z.infer<typeof PageQuerySchema>;
