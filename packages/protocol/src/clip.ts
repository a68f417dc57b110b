/**
 * Clips: a short MP4 cut from a stream, either the last seconds of a live
 * stream or a range of its recording, with a poster and a page to share.
 * A clip is seen by whoever may see its stream: its URLs are signed like the
 * stream's own for followers-only, subscribers-only and private streams.
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import { IdSchema, pageSchema, singleLineText, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

/** Shortest clip, seconds. */
export const MIN_CLIP_SECONDS = 5;
/** Longest clip, seconds. */
export const MAX_CLIP_SECONDS = 60;
/** Length of a clip whose request does not say, seconds (the last 30 s of a live stream). */
export const DEFAULT_CLIP_SECONDS = 30;

/**
 * A clip. Its media is cut on segment boundaries (the encoder's keyframes,
 * every 2 s by default) without re-encoding, so `startSeconds` and
 * `durationSeconds` are what it holds, within a segment of what was asked.
 */
export const ClipSchema = z.object({
  id: IdSchema,
  streamId: IdSchema,
  title: z.string(),
  createdBy: UserSummarySchema,
  /** Where it starts in the stream's recording, seconds from the stream's first frame. */
  startSeconds: z.number().check(z.nonnegative()),
  durationSeconds: z.number().check(z.positive()),
  /** The MP4 (H.264 and AAC, `faststart`): for a `<video src>` or a download. */
  url: z.string(),
  /** A frame of the clip as a JPEG; null for a stream without video. */
  posterUrl: z.nullable(z.string()),
  /** A page that plays the clip, to share (OpenGraph tags for link previews). */
  pageUrl: z.string(),
  createdAt: TimestampSchema,
});
/** A clip. */
export type Clip = z.infer<typeof ClipSchema>;

/** `GET /v1/streams/:id/clips`: a stream's clips, newest first. */
export const ClipPageSchema = pageSchema(ClipSchema);
/** A page of clips. */
export type ClipPage = z.infer<typeof ClipPageSchema>;

// `/* @__PURE__ */` before a `.check()`: a bundle that never reads the schema
// leaves it out (bundlers keep a method call they cannot tell is pure).

/**
 * Body of `POST /v1/streams/:id/clips`. Without `startSeconds` the clip is
 * the last `durationSeconds` of a live stream; with it, that range of the
 * recording (of a live stream so far, or of an ended one).
 */
export const CreateClipInputSchema = z.strictObject({
  title: z.optional(
    /* @__PURE__ */ z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'title must not be empty'),
        z.maxLength(140, 'title is at most 140 characters'),
        singleLineText,
      ),
  ),
  startSeconds: z.optional(/* @__PURE__ */ z.number().check(z.nonnegative(), z.lte(7 * 24 * 3600))),
  durationSeconds: z._default(
    /* @__PURE__ */ z.number().check(z.gte(MIN_CLIP_SECONDS), z.lte(MAX_CLIP_SECONDS)),
    DEFAULT_CLIP_SECONDS,
  ),
});
/** What to clip (as sent: every field optional). */
export type CreateClipInput = z.input<typeof CreateClipInputSchema>;
