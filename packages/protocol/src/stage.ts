import * as z from 'zod/mini';
import { IdSchema, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

/**
 * `@onair/protocol/stage`: the people who publish on one live stream beside
 * its owner. Co-hosts may publish whenever the stream is live; guests only
 * while they are on stage (brought there by the owner or a moderator,
 * often from the raised hands). The owner is always on stage and is not
 * listed. docs/stage.md has the rules.
 *
 * @packageDocumentation
 */

/** Default of the server's `stage.limit`: people on stage, the owner included. */
export const DEFAULT_STAGE_LIMIT = 6;

/** What a member of the stage may do: a co-host publishes at any time, a guest while invited. */
export const STAGE_ROLES = ['cohost', 'guest'] as const;
/** Schema of {@link StageRole}. */
export const StageRoleSchema = z.enum(STAGE_ROLES);
/** One of {@link STAGE_ROLES}. */
export type StageRole = z.infer<typeof StageRoleSchema>;

/**
 * How HLS viewers (and the recording) see the stage's people, composed into
 * one picture: `grid`, all alike; `speaker`, whoever speaks large and
 * everyone small beneath. Real-time viewers get each person's tracks and
 * lay them out themselves.
 */
export const STAGE_LAYOUTS = ['grid', 'speaker'] as const;
/** Schema of {@link StageLayout}. */
export const StageLayoutSchema = z.enum(STAGE_LAYOUTS);
/** One of {@link STAGE_LAYOUTS}. */
export type StageLayout = z.infer<typeof StageLayoutSchema>;

/** Someone on the stage besides the owner. */
export const StageMemberSchema = z.object({
  user: UserSummarySchema,
  role: StageRoleSchema,
  /** When the owner or a moderator put them on stage. */
  invitedAt: TimestampSchema,
  /** The owner or a moderator muted their microphone for everyone. */
  mutedByHost: z.boolean(),
  /** They send media now (a producer on the server). */
  publishing: z.boolean(),
});
/** A member of the stage. */
export type StageMember = z.infer<typeof StageMemberSchema>;

/** A viewer who asked to come on stage. */
export const RaisedHandSchema = z.object({
  user: UserSummarySchema,
  raisedAt: TimestampSchema,
});
/** A raised hand. */
export type RaisedHand = z.infer<typeof RaisedHandSchema>;

/**
 * A stream's stage (`GET /v1/streams/:id/stage`, realtime `stage:updated`).
 * The owner and moderators see every raised hand, in the order raised;
 * anyone else sees their own hand only.
 */
export const StageSchema = z.object({
  streamId: IdSchema,
  /** Most people on stage at once, the owner included. */
  limit: z.number().check(z.int(), z.positive()),
  /** How the composed picture arranges the people while more than one publishes. */
  layout: StageLayoutSchema,
  members: z.array(StageMemberSchema),
  hands: z.array(RaisedHandSchema),
});
/** A stream's stage. */
export type Stage = z.infer<typeof StageSchema>;

/** Body of `PATCH /v1/streams/:id/stage`: the owner or a moderator changes the stage's settings. */
export const UpdateStageSchema = z.strictObject({ layout: StageLayoutSchema });
/** Input of {@link UpdateStageSchema}. */
export type UpdateStage = z.infer<typeof UpdateStageSchema>;

/** Body of `PUT /v1/streams/:id/stage/members/:userId`: brings a user on stage in a role. */
export const InviteToStageSchema = z.strictObject({ role: StageRoleSchema });
/** Input of {@link InviteToStageSchema}. */
export type InviteToStage = z.infer<typeof InviteToStageSchema>;

/** Body of `PATCH /v1/streams/:id/stage/members/:userId`. */
export const UpdateStageMemberSchema = z.strictObject({
  /** Mute (true) or let speak again (false) the member's microphone, for everyone. */
  mutedByHost: z.boolean(),
});
/** Input of {@link UpdateStageMemberSchema}. */
export type UpdateStageMember = z.infer<typeof UpdateStageMemberSchema>;
