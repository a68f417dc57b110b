/** PostgreSQL's SQLSTATE for a unique constraint violated (PGlite reports it alike). */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a database error (as the driver throws it, or wrapped by Drizzle in
 * its `cause`) is a unique constraint violation: a write that lost a race.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
