import * as z from 'zod/mini';

/** Opaque identifiers are URL-safe strings of bounded length. */
export const IdSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, 'must be URL-safe (A-Z, a-z, 0-9, _ and -)'),
  );

/** Timestamps travel as ISO 8601 strings with an offset. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** A page of results with an opaque cursor for the next page (absent on the last page). */
export function pageSchema<T extends z.core.$ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.nullable(z.string()),
  });
}

/** A page of `T` with an opaque cursor. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// ------------------------------------------------------------------ user text

/**
 * Whether `text` holds a C0 control character (U+0000–U+001F) or DEL (U+007F).
 * With `multiline`, tab, line feed and carriage return are allowed.
 *
 * @example
 * hasControlCharacters('a\u0000b'); // true
 * hasControlCharacters('one\ntwo', { multiline: true }); // false
 */
export function hasControlCharacters(text: string, options: { multiline?: boolean } = {}): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  return (options.multiline ? /[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/ : /[\0-\x1f\x7f]/).test(text);
}

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes the bidirectional embedding, override and isolate controls
 * (U+202A–U+202E, U+2066–U+2069), with which a name could reorder the text
 * shown after it (`"Bob\u202Etxt.exe"` reads as `"Bobexe.txt"`).
 */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * Whether `text` holds half of a surrogate pair without its other half: no
 * character at all. UTF-8 cannot encode it, so storing it would change the
 * text (to U+FFFD), and PostgreSQL's `jsonb` refuses its JSON escape.
 *
 * @example
 * hasLoneSurrogate('\ud83d'); // true
 * hasLoneSurrogate('🎉'); // false
 */
export const hasLoneSurrogate = (text: string): boolean => /\p{Surrogate}/u.test(text);

/**
 * Zod check for single-line user text (titles, names, poll options, reasons):
 * refuses every C0 control character, tab and line breaks included, DEL, and
 * half a surrogate pair ({@link hasLoneSurrogate}).
 * Append it after `z.trim()` so surrounding whitespace is trimmed, not refused.
 *
 * @example
 * const TitleSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(140), singleLineText);
 */
export const singleLineText = z.refine<string>(
  (text) => !hasControlCharacters(text) && !hasLoneSurrogate(text),
  'must not contain control characters',
);

/**
 * Zod check for multi-line user text (descriptions, chat, questions): tab,
 * line feed and carriage return are allowed; other C0 controls, DEL and half
 * a surrogate pair are refused.
 */
export const multiLineText = z.refine<string>(
  (text) => !hasControlCharacters(text, { multiline: true }) && !hasLoneSurrogate(text),
  'must not contain control characters other than tabs and line breaks',
);

/** A single-line user string: no C0 control character or DEL ({@link singleLineText}). */
export const SafeTextSchema = /* @__PURE__ */ z.string().check(singleLineText);

/**
 * A count: a whole number, 0 or more. A new schema each call; the calls are
 * pure, so a bundle leaves out those of the schemas it does not use.
 */
export const count = /* @__NO_SIDE_EFFECTS__ */ () => z.number().check(z.int(), z.nonnegative());
