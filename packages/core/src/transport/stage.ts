import {
  type InviteToStage,
  type Stage,
  type StageLayout,
  type StageRole,
  StageSchema,
  type UpdateStage,
  type UpdateStageMember,
} from '@onair/protocol/stage';
import type { OnAirClient } from './client.js';

/**
 * The stage REST API of a stream (docs/stage.md): who publishes beside its
 * owner, and the raised hands. Every call rejects with the server's typed
 * `OnAirError` (`FORBIDDEN`, `STREAM_FULL` with `details.stageLimit`,
 * `NOT_FOUND` for a user the server never saw, …). Routes that change the
 * stage also push `stage:updated` to the stream's room.
 *
 * @example
 * ```ts
 * const stage = new StageApi(client);
 * await stage.invite(streamId, 'usr_ana', 'cohost');
 * ```
 */
export class StageApi {
  constructor(private readonly client: OnAirClient) {}

  /** The stream's stage (`GET /v1/streams/:id/stage`); others than managers see their own hand only. */
  get(streamId: string, signal?: AbortSignal): Promise<Stage> {
    return this.client.request(StageSchema, stagePath(streamId), { signal });
  }

  /**
   * Sets how HLS viewers and the recording see the stage's people composed
   * into one picture: `grid` or `speaker` (owner, channel moderators,
   * admins). The picture changes live. Resolves with the stage after it.
   */
  setLayout(streamId: string, layout: StageLayout): Promise<Stage> {
    const body: UpdateStage = { layout };
    return this.client.request(StageSchema, stagePath(streamId), { method: 'PATCH', body });
  }

  /**
   * Brings a user on stage, or changes their role, and lowers their hand
   * (owner, channel moderators, admins). Resolves with the stage after it.
   */
  invite(streamId: string, userId: string, role: StageRole): Promise<Stage> {
    const body: InviteToStage = { role };
    return this.client.request(StageSchema, memberPath(streamId, userId), { method: 'PUT', body });
  }

  /**
   * Mutes a member's microphone for everyone (`true`) or lets them speak
   * again (`false`) (owner, channel moderators, admins). Resolves with the
   * stage after it.
   */
  setMuted(streamId: string, userId: string, mutedByHost: boolean): Promise<Stage> {
    const body: UpdateStageMember = { mutedByHost };
    return this.client.request(StageSchema, memberPath(streamId, userId), {
      method: 'PATCH',
      body,
    });
  }

  /**
   * Takes someone off the stage (owner, channel moderators, admins), or
   * leaves it when `userId` is the caller's own. Their tracks stop at once.
   */
  async remove(streamId: string, userId: string): Promise<void> {
    await this.client.requestText(memberPath(streamId, userId), { method: 'DELETE' });
  }

  /** Asks to come on stage (signed in, not banned, the stream live); a second raise keeps its place. */
  async raiseHand(streamId: string): Promise<void> {
    await this.client.requestText(`${stagePath(streamId)}/hand`, { method: 'POST' });
  }

  /** Lowers a raised hand: one's own, or anyone's for those who manage the stage. */
  async lowerHand(streamId: string, userId: string): Promise<void> {
    await this.client.requestText(`${stagePath(streamId)}/hands/${encodeURIComponent(userId)}`, {
      method: 'DELETE',
    });
  }
}

const stagePath = (streamId: string) => `/v1/streams/${encodeURIComponent(streamId)}/stage`;

const memberPath = (streamId: string, userId: string) =>
  `${stagePath(streamId)}/members/${encodeURIComponent(userId)}`;
