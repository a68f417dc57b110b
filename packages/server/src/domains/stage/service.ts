import { OnAirError, type Stream } from '@onair/protocol';
import type { Stage, StageLayout, StageRole } from '@onair/protocol/stage';
import { canModerate, type Identity, isAdmin } from '../../platform/auth/identity.js';
import type { InternalBus } from '../../platform/events.js';
import type { ModerationService } from '../moderation/service.js';
import type { StageRepository } from './repository.js';

/** What the stage service needs. */
export interface StageServiceDeps {
  stage: StageRepository;
  moderation: ModerationService;
  bus: InternalBus;
  /** People on stage at once, the owner included (config `stage.limit`). */
  limit: number;
  /** The layout of a stage whose owner chose none (config `stage.layout`). */
  layout: StageLayout;
  /** Users who publish a stream now (on this server's media plane); none without media. */
  publishingUsers(streamId: string): ReadonlySet<string>;
  /**
   * Whether a user may still see a stream, from what the server stores
   * (follows, invites, its privacy): true for a subscribers-only stream,
   * whose tiers live in the host app's tokens.
   */
  maySee(streamId: string, userId: string): Promise<boolean>;
}

/** Who may publish on a stream, and how: see {@link StageService.publisherRole}. */
export interface PublisherRole {
  role: 'host' | StageRole;
  /** The owner or a moderator muted this member's microphone. */
  mutedByHost: boolean;
}

/**
 * The stage of a stream: co-hosts and guests beside the owner, and the
 * viewers' raised hands (docs/stage.md). The owner, the channel's
 * moderators and admins manage it; every change is told on the bus
 * (`stage:changed`), where the realtime side announces it and the media
 * plane stops or mutes a member's tracks.
 */
export class StageService {
  constructor(private readonly deps: StageServiceDeps) {}

  /** Most people on stage at once, the owner included. */
  get limit(): number {
    return this.deps.limit;
  }

  /**
   * The stage as `who` sees it: every raised hand for those who manage
   * the stage, their own hand (if raised) for anyone else.
   */
  async stageFor(stream: Stream, who: Identity | undefined): Promise<Stage> {
    const full = await this.stage(stream.id);
    if (canModerate(who, stream.owner.id)) return full;
    return { ...full, hands: full.hands.filter((h) => h.user.id === who?.userId) };
  }

  /** The whole stage, every raised hand included. */
  async stage(streamId: string): Promise<Stage> {
    const [members, hands, layout] = await Promise.all([
      this.deps.stage.members(streamId),
      this.deps.stage.hands(streamId),
      this.deps.stage.layout(streamId),
    ]);
    const publishing = this.deps.publishingUsers(streamId);
    return {
      streamId,
      limit: this.deps.limit,
      layout: layout ?? this.deps.layout,
      members: members.map((m) => ({
        user: m.user,
        role: m.role,
        invitedAt: m.invitedAt.toISOString(),
        mutedByHost: m.mutedByHost,
        publishing: publishing.has(m.user.id),
      })),
      hands,
    };
  }

  /**
   * Brings a user on stage as a co-host or a guest (or changes their role).
   * `UNPROCESSABLE` for the owner (always on stage), `STREAM_FULL` past the
   * limit, `NOT_FOUND` for a user the server never saw.
   */
  async invite(stream: Stream, by: Identity, userId: string, role: StageRole): Promise<Stage> {
    this.assertManager(stream, by);
    if (userId === stream.owner.id) {
      throw new OnAirError('UNPROCESSABLE', "The stream's owner is always on its stage");
    }
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('UNPROCESSABLE', 'This stream is over');
    }
    await this.deps.stage.invite(stream.id, userId, role, this.deps.limit - 1);
    this.deps.bus.emit('stage:changed', { streamId: stream.id });
    return this.stage(stream.id);
  }

  /**
   * Sets how HLS viewers see the stage's people (the owner or a moderator):
   * the composed picture changes live.
   */
  async setLayout(stream: Stream, by: Identity, layout: StageLayout): Promise<Stage> {
    this.assertManager(stream, by);
    await this.deps.stage.setLayout(stream.id, layout);
    this.deps.bus.emit('stage:changed', { streamId: stream.id, layout });
    return this.stage(stream.id);
  }

  /** Mutes a member's microphone for everyone, or lets them speak again. */
  async setMuted(stream: Stream, by: Identity, userId: string, muted: boolean): Promise<Stage> {
    this.assertManager(stream, by);
    if (!(await this.deps.stage.setMuted(stream.id, userId, muted))) {
      throw new OnAirError('NOT_FOUND', 'That user is not on the stage');
    }
    this.deps.bus.emit('stage:changed', { streamId: stream.id, muted: { userId, muted } });
    return this.stage(stream.id);
  }

  /**
   * Takes someone off the stage: the owner or a moderator does, or a member
   * leaves by themselves. Their tracks stop at once for everyone.
   */
  async remove(stream: Stream, by: Identity, userId: string): Promise<void> {
    if (by.userId !== userId) this.assertManager(stream, by);
    if (!(await this.deps.stage.remove(stream.id, userId))) {
      throw new OnAirError('NOT_FOUND', 'That user is not on the stage');
    }
    this.deps.bus.emit('stage:changed', { streamId: stream.id, removed: userId });
  }

  /**
   * Raises `who`'s hand on a live stream. `CONFLICT` for someone already on
   * stage, `BANNED` for a banned or timed-out user.
   */
  async raiseHand(stream: Stream, who: Identity): Promise<void> {
    if (stream.status !== 'live') {
      throw new OnAirError('STREAM_NOT_LIVE', 'Hands are raised while the stream is live');
    }
    if (who.userId === stream.owner.id || (await this.deps.stage.member(stream.id, who.userId))) {
      throw new OnAirError('CONFLICT', 'You are on the stage already');
    }
    await this.deps.moderation.assertNotRestricted(stream, who);
    await this.deps.stage.raiseHand(stream.id, who.userId);
    this.deps.bus.emit('stage:changed', { streamId: stream.id });
  }

  /** Lowers a hand: one's own, or anyone's for those who manage the stage. */
  async lowerHand(stream: Stream, by: Identity, userId: string): Promise<void> {
    if (by.userId !== userId) this.assertManager(stream, by);
    if (!(await this.deps.stage.lowerHand(stream.id, userId))) {
      throw new OnAirError('NOT_FOUND', 'That hand is not raised');
    }
    this.deps.bus.emit('stage:changed', { streamId: stream.id });
  }

  /**
   * Lowers `userId`'s hand on streams they lost (`audience:lost`), so that
   * nobody brings on stage someone who may not see the stream.
   */
  async forget(streamIds: readonly string[], userId: string): Promise<void> {
    for (const streamId of streamIds) {
      if (await this.deps.stage.lowerHand(streamId, userId)) {
        this.deps.bus.emit('stage:changed', { streamId });
      }
    }
  }

  /**
   * Lowers the hands of a stream's raisers who may no longer see it (its
   * privacy or invite list changed), connected or not.
   */
  async recheckHands(streamId: string): Promise<void> {
    let lowered = false;
    for (const hand of await this.deps.stage.hands(streamId)) {
      if (await this.deps.maySee(streamId, hand.user.id)) continue;
      lowered = (await this.deps.stage.lowerHand(streamId, hand.user.id)) || lowered;
    }
    if (lowered) this.deps.bus.emit('stage:changed', { streamId });
  }

  /**
   * A user banned from a channel leaves the stages of its streams that have
   * not ended: hands down, and off the stage (their tracks stop everywhere).
   */
  async banned(channelId: string, userId: string): Promise<void> {
    const { hands, members } = await this.deps.stage.leaveChannel(channelId, userId);
    for (const streamId of new Set(hands)) this.deps.bus.emit('stage:changed', { streamId });
    for (const streamId of members) {
      this.deps.bus.emit('stage:changed', { streamId, removed: userId });
    }
  }

  /**
   * Whether `who` may publish on the stream, and as what: its owner and
   * admins as the host, its co-hosts and guests as members of the stage
   * (the stream must be live: the caller checks). `FORBIDDEN` otherwise.
   */
  async publisherRole(stream: Stream, who: Identity | undefined): Promise<PublisherRole> {
    if (who && (who.userId === stream.owner.id || isAdmin(who))) {
      return { role: 'host', mutedByHost: false };
    }
    const member = who && (await this.deps.stage.member(stream.id, who.userId));
    if (!member) {
      throw new OnAirError(
        'FORBIDDEN',
        "Only the stream's owner and the people on its stage may publish",
      );
    }
    return { role: member.role, mutedByHost: member.mutedByHost };
  }

  private assertManager(stream: Stream, who: Identity): void {
    if (!canModerate(who, stream.owner.id)) {
      throw new OnAirError(
        'FORBIDDEN',
        "Only this channel's owner and moderators manage the stage",
      );
    }
  }
}
