import { SIGNED_PRIVACY } from '../../media/hls/tokens.js';
import type { MediaPlane } from '../../media/media-plane.js';
import type { InternalBus, InternalEvents } from '../../platform/events.js';
import { managersRoomOf, roomOf, userRoom } from '../../transport/realtime/rooms.js';
import type { OnAirIo } from '../../transport/realtime/types.js';
import type { StageService } from './service.js';

/** How long stage changes are gathered into one `stage:updated`, ms. */
const ANNOUNCE_AFTER_MS = 100;

/** What {@link announceStages} needs. */
export interface StageAnnounceDeps {
  io: OnAirIo;
  bus: InternalBus;
  stage: StageService;
  /** Undefined when media is turned off on this server. */
  media: MediaPlane | undefined;
  /** Servers share rooms (Redis): a member's transports may be on another one. */
  clustered: boolean;
  log: (message: string) => void;
}

type StageChange = InternalEvents['stage:changed'];

/**
 * Carries out and tells each stage change: a member taken off the stage
 * loses their send transports, a muted one's microphone goes silent and the
 * composed picture takes a new layout, on every server; the stream's room gets `stage:updated` (changes within
 * {@link ANNOUNCE_AFTER_MS} together), with every raised hand for those who
 * manage the stage and each raiser's own hand for them. Members starting
 * or stopping to publish are told the same way. Raised hands follow access:
 * those of raisers who may no longer see the stream go down when its privacy
 * or invites change ({@link StageService.recheckHands}) or they unfollow
 * (`audience:lost`), and a ban takes the user off the channel's stages
 * (`channel:banned`). Returns the stop function.
 */
export function announceStages(deps: StageAnnounceDeps): () => void {
  const { io, bus, stage, media, log } = deps;
  const pending = new Map<string, NodeJS.Timeout>();

  const applyMedia = (change: StageChange) => {
    if (!media) return;
    const { router } = media;
    if (change.removed !== undefined) {
      void router
        .closeParticipant(change.streamId, change.removed, 'access-revoked')
        .catch((error: Error) => log(`taking a member off stage: ${error.message}`));
    }
    if (change.muted) {
      router.setParticipantMuted(change.streamId, change.muted.userId, change.muted.muted);
    }
    if (change.layout) media.setStageLayout(change.streamId, change.layout);
  };

  const recheckHands = (streamId: string) =>
    stage
      .recheckHands(streamId)
      .catch((error: Error) => log(`re-checking the hands of ${streamId}: ${error.message}`));

  const announce = async (streamId: string) => {
    const full = await stage.stage(streamId);
    // The stored layout reaches the media plane as people start publishing (after a restart too).
    media?.setStageLayout(streamId, full.layout);
    const managers = managersRoomOf(streamId);
    const raisers = full.hands.map((h) => userRoom(h.user.id));
    io.to(roomOf(streamId))
      .except([managers, ...raisers])
      .emit('stage:updated', { ...full, hands: [] });
    for (const hand of full.hands) {
      io.to(userRoom(hand.user.id))
        .except(managers)
        .emit('stage:updated', { ...full, hands: [hand] });
    }
    io.to(managers).emit('stage:updated', full);
  };

  const schedule = (streamId: string) => {
    if (pending.has(streamId)) return;
    const timer = setTimeout(() => {
      pending.delete(streamId);
      announce(streamId).catch((error: Error) =>
        log(`announcing the stage of ${streamId}: ${error.message}`),
      );
    }, ANNOUNCE_AFTER_MS);
    timer.unref();
    pending.set(streamId, timer);
  };

  // Another server took a member off stage or muted one: their transports may be here.
  io.on('stage:media', applyMedia);
  const offs = [
    bus.on('stage:changed', (change) => {
      applyMedia(change);
      if (deps.clustered && (change.removed !== undefined || change.muted || change.layout)) {
        io.serverSideEmit('stage:media', change);
      }
      schedule(change.streamId);
    }),
    bus.on('audience:lost', ({ userId, streamIds }) => {
      stage
        .forget(streamIds, userId)
        .catch((error: Error) => log(`lowering the hands of ${userId}: ${error.message}`));
    }),
    bus.on('channel:banned', ({ channelId, userId }) => {
      stage
        .banned(channelId, userId)
        .catch((error: Error) => log(`clearing the stages of ${channelId}: ${error.message}`));
    }),
    // Who may see a stream changed: raisers who may not lose their hands, connected or not.
    bus.on('stream:updated', (stream) => {
      if (SIGNED_PRIVACY.has(stream.privacy)) recheckHands(stream.id);
    }),
    bus.on('stream:accessChanged', ({ streamId }) => recheckHands(streamId)),
  ];
  if (media) {
    // A member starting or stopping to publish changes what the stage shows.
    const onProducer = (info: { streamId: string; userId?: string | undefined }) => {
      if (info.userId !== undefined) schedule(info.streamId);
    };
    offs.push(
      media.router.on('producer', onProducer),
      media.router.on('producerClosed', onProducer),
    );
  }
  return () => {
    for (const off of offs) off();
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
    io.removeAllListeners('stage:media');
  };
}
