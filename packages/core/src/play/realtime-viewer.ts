import type { ConsumerOptions, ProducerInfo } from '@onair/protocol';
import type { types as MediasoupTypes } from 'mediasoup-client';
import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import {
  connectThrough,
  loadDevice,
  type MediaSignalling,
  realtimeSignalling,
  transportOptions,
} from '../transport/media-signalling.js';
import type { RealtimeConnection, RoomLease } from '../transport/realtime.js';

/** The key of the host's participant entry. */
const HOST = '';

/** The player shows the host's video and plays everyone's voice. */
const playsInPlayer = (participant: string, kind: 'audio' | 'video'): boolean =>
  participant === HOST || kind === 'audio';

/** The loudest audio level a receiver heard from its sources just now (0 without one). */
function levelOf(receiver: RTCRtpReceiver | undefined): number {
  let level = 0;
  for (const source of receiver?.getSynchronizationSources?.() ?? []) {
    level = Math.max(level, source.audioLevel ?? 0);
  }
  return level;
}

/** Lifecycle of a {@link RealtimeViewer}. */
export type RealtimeViewerStatus =
  | 'idle'
  | 'connecting'
  | 'playing'
  | 'waiting'
  | 'failed'
  | 'closed';

/**
 * One person publishing on the stream: its host, or a co-host or guest on
 * its stage (docs/stage.md), with the tracks received of them.
 */
export interface RealtimeParticipant {
  /** Their user id; null for tracks that came without one (an encoder's, relayed by another server). */
  userId: string | null;
  /** The stream's host (its owner): their video is the viewer's `mediaStream`'s. */
  host: boolean;
  /**
   * Their tracks, the same object while they publish: show it muted in a
   * tile (their audio already plays in the viewer's `mediaStream`).
   */
  mediaStream: MediaStream;
  hasVideo: boolean;
  hasAudio: boolean;
  /** Their audio level, 0–1, as their browser measured it (RFC 6464), over the last moment. */
  audioLevel: number;
  /** Speaking now: their level was above {@link SPEAKING_LEVEL} within the last {@link SPEAKING_HOLD_MS}. */
  speaking: boolean;
  /** Their video is a shared screen, window or tab (not a camera). */
  sharingScreen: boolean;
}

/** Audio level (0–1, linear) from which a participant counts as speaking: about −40 dBov. */
export const SPEAKING_LEVEL = 0.01;
/** How long a participant still counts as speaking after their level dropped, ms. */
export const SPEAKING_HOLD_MS = 600;
/** How often audio levels are read while several people publish, ms. */
const LEVEL_INTERVAL_MS = 200;

/** Snapshot of a {@link RealtimeViewer}. */
export interface RealtimeViewerState {
  /** `waiting`: connected, but the stream has no video producer (publisher away). */
  status: RealtimeViewerStatus;
  /**
   * What the player shows: the host's video, and everyone's audio (the
   * host's and the stage's, which the browser mixes). The same object for
   * the viewer's lifetime once connected.
   */
  mediaStream: MediaStream | null;
  /**
   * Everyone whose tracks are received: the host first, then the people on
   * the stage in the order their tracks came.
   */
  participants: readonly RealtimeParticipant[];
  /** Simulcast layers of the video (1 without simulcast). */
  spatialLayers: number;
  error: OnAirError | null;
}

/** Options of {@link RealtimeViewer}. */
export interface RealtimeViewerOptions {
  /** The realtime connection (`client.realtime`): the stream's room tells about producers. */
  realtime: RealtimeConnection;
  streamId: string;
  /** Signalling to a host's own mediasoup server; default: OnAir's realtime connection. */
  signalling?: MediaSignalling;
  /** mediasoup-client handler factory (React Native, tests with its FakeHandler); default: detected. */
  handlerFactory?: MediasoupTypes.HandlerFactory;
  /**
   * Keep audio and video in lip sync (one MediaStream id). Off by default:
   * the browser then holds video back to match audio's jitter buffer, which
   * roughly doubles the video's delay (about 50 ms more on loopback); without
   * it audio trails the picture by a few tens of milliseconds, well inside
   * what viewers notice (ITU-R BT.1359: 125 ms of audio lag).
   */
  lipSync?: boolean;
}

interface Consuming {
  info: ProducerInfo;
  /** Whose track it is: the key of its participant. */
  participant: string;
  consumer: MediasoupTypes.Consumer;
  options: ConsumerOptions & { spatialLayers?: number };
}

/** A participant as the viewer keeps it (the snapshot gets copies). */
interface ParticipantEntry {
  userId: string | null;
  mediaStream: MediaStream;
  audioLevel: number;
  speakingUntil: number;
}

const INITIAL: RealtimeViewerState = {
  status: 'idle',
  mediaStream: null,
  participants: [],
  spatialLayers: 1,
  error: null,
};

/**
 * Sub-second viewing: receives a live stream's tracks from the server's SFU
 * with mediasoup-client (loaded on first use), following the publisher as it
 * leaves and returns. With people on the stage, it receives everyone's
 * tracks: `participants` has each person's MediaStream and who is speaking
 * (from the audio level their browser puts in each packet). The Player's
 * real-time mode is built on it and shows the host's (`mediaStream`).
 *
 * @example
 * ```ts
 * const viewer = new RealtimeViewer({ realtime: client.realtime, streamId });
 * video.srcObject = await viewer.start();
 * ```
 */
export class RealtimeViewer extends Subscribable<RealtimeViewerState> {
  protected snapshot: RealtimeViewerState = INITIAL;
  readonly #signalling: MediaSignalling;
  #lease: RoomLease | undefined;
  #device: MediasoupTypes.Device | undefined;
  #transport: MediasoupTypes.Transport | undefined;
  readonly #consuming = new Map<string, Consuming>();
  /** Participants by key: their user id, or the host's key for tracks without one. */
  readonly #people = new Map<string, ParticipantEntry>();
  /** The stream owner's user id, from the room's join answer. */
  #hostId: string | null = null;
  #levelTimer: ReturnType<typeof setInterval> | undefined;
  readonly #offs: Array<() => void> = [];
  #preferredLayer: number | undefined;
  /** The server took back the transport of a viewer waiting for its publisher (`idle`). */
  #idle = false;
  #closed = false;
  /** Serialises consume/close work so producers come and go in order. */
  #queue: Promise<void> = Promise.resolve();

  readonly #options: RealtimeViewerOptions;

  constructor(options: RealtimeViewerOptions) {
    super();
    this.#options = options;
    this.#signalling = options.signalling ?? realtimeSignalling(options.realtime);
  }

  /**
   * Joins the stream's room, opens a receive transport and consumes every
   * producer. Resolves with the MediaStream to show (its tracks appear as
   * they arrive); rejects with a typed error when real-time viewing is not
   * possible (`MEDIA_UNAVAILABLE`, `NOT_SUPPORTED`, `STREAM_NOT_LIVE`, ...).
   */
  async start(): Promise<MediaStream> {
    if (this.snapshot.mediaStream) return this.snapshot.mediaStream;
    if (this.#closed) throw new OnAirError('CONFLICT', 'This viewer is closed');
    this.update({ status: 'connecting', error: null });
    const { realtime, streamId } = this.#options;
    try {
      this.#lease = realtime.holdRoom(streamId);
      const joined = await this.#lease.joined;
      this.#hostId = joined.stream?.owner.id ?? null;
      const device = await loadDevice(this.#signalling, streamId, this.#options.handlerFactory);
      this.#device = device;
      const mediaStream = new MediaStream();
      this.#personOf(HOST, this.#hostId);
      this.update({ mediaStream });
      await this.#openTransport();
      this.#offs.push(
        realtime.on('media:producer', (info) => {
          if (info.streamId === streamId) this.#enqueue(() => this.#consume(info));
        }),
        realtime.on('media:producerClosed', (info) => {
          if (info.streamId === streamId) this.#enqueue(async () => this.#drop(info.producerId));
        }),
        realtime.on('media:transportClosed', ({ transportId, reason }) => {
          if (transportId !== this.#transport?.id) return;
          if (reason === 'stream-ended') this.close();
          // Waiting for the publisher, the unused slot went back: take one again for its media.
          else if (reason === 'idle' && !this.#consuming.size) this.#idle = true;
          else
            this.#fail(new OnAirError('NETWORK', `The server closed the connection (${reason})`));
        }),
        this.#lease.onRejoin((answer) => {
          for (const info of answer.producers) this.#enqueue(() => this.#consume(info));
        }),
        // The server closes a connection's transports when its socket drops, even one
        // socket.io recovers: receive again on a new transport.
        realtime.onReconnect(() => this.#enqueue(() => this.#reopen()), { recovered: true }),
      );
      for (const info of joined.producers) this.#enqueue(() => this.#consume(info));
      await this.#queue;
      if (this.snapshot.status === 'failed') throw this.snapshot.error;
      this.#refreshStatus();
      return mediaStream;
    } catch (error) {
      const typed = OnAirError.from(error);
      this.#fail(typed);
      throw typed;
    }
  }

  /** Opens the receive transport (again after a reconnection). */
  async #openTransport(): Promise<void> {
    const device = this.#device;
    if (!device) return;
    this.#idle = false;
    const params = await this.#signalling.createTransport(this.#options.streamId, 'recv');
    if (this.#closed) throw new OnAirError('CONFLICT', 'This viewer is closed');
    const transport = device.createRecvTransport(transportOptions(params));
    this.#transport = transport;
    connectThrough(this.#signalling, transport);
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && this.#transport === transport) {
        this.#fail(new OnAirError('NETWORK', 'Media connection failed'));
      }
    });
  }

  /**
   * After the signalling connection dropped and came back: the server closed
   * this viewer's transport, so open a new one and consume the producers
   * again (the same ones, or the publisher's new ones as they are announced).
   */
  async #reopen(): Promise<void> {
    if (this.#closed || this.snapshot.status === 'failed' || !this.#transport) return;
    const producers = [...this.#consuming.values()].map((c) => c.info);
    for (const { producerId } of producers) this.#drop(producerId);
    const old = this.#transport;
    this.#transport = undefined;
    old.close();
    this.#signalling.closeTransport(old.id).catch(() => undefined); // usually closed already
    this.update({ status: 'connecting' });
    // The server grants a transport only in the stream's room: after a reconnection it
    // could not recover, the room is being joined again first.
    const room = this.#options.realtime.holdRoom(this.#options.streamId);
    await room.joined.finally(room.release);
    await this.#openTransport();
    for (const info of producers) {
      try {
        await this.#consume(info);
      } catch {
        // That producer is gone (its publisher reconnected too): its successor is announced.
      }
    }
    this.#refreshStatus();
  }

  /**
   * Caps the simulcast layer received (0 = lowest); `undefined` lifts the cap.
   * The server still picks a lower layer when bandwidth is short.
   */
  async preferLayer(spatialLayer: number | undefined): Promise<void> {
    this.#preferredLayer = spatialLayer;
    const video = this.#hostVideo();
    if (!video || !this.#signalling.preferLayer) return;
    await this.#signalling.preferLayer(video.options.id, spatialLayer ?? 3);
  }

  /** The host's video consumer's WebRTC statistics (inbound-rtp and friends), while receiving. */
  async stats(): Promise<RTCStatsReport | undefined> {
    return this.#hostVideo()?.consumer.getStats();
  }

  #hostVideo(): Consuming | undefined {
    return [...this.#consuming.values()].find(
      (c) => c.options.kind === 'video' && c.participant === HOST,
    );
  }

  /** Whose a producer is: the host's key, or the member's user id. */
  #participantOf(info: ProducerInfo): string {
    return info.userId === undefined || info.userId === this.#hostId ? HOST : info.userId;
  }

  #enqueue(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch((error: unknown) => {
      this.#fail(OnAirError.from(error));
    });
  }

  async #consume(info: ProducerInfo): Promise<void> {
    if (this.#idle) await this.#reopen();
    const transport = this.#transport;
    const device = this.#device;
    const known = this.#consuming.get(info.producerId);
    // Announced again: its source changed (a camera, a screen).
    if (known) {
      known.info = info;
      this.#refreshStatus();
      return;
    }
    if (this.#closed || !transport || !device) return;
    const participant = this.#participantOf(info);
    // One track per kind and person: a returning publisher's new producer replaces the old one.
    for (const [producerId, entry] of this.#consuming) {
      if (entry.options.kind === info.kind && entry.participant === participant) {
        this.#drop(producerId);
      }
    }
    const options = (await this.#signalling.consume(
      transport.id,
      info.producerId,
      device.rtpCapabilities as never,
    )) as Consuming['options'];
    if (this.#closed) return;
    const group =
      participant === HOST ? this.#options.streamId : `${this.#options.streamId}-${participant}`;
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters as MediasoupTypes.RtpParameters,
      // A MediaStream id per kind: the browser then plays each as soon as it can, instead of
      // holding video back to match audio's larger jitter buffer (lip sync), which doubles
      // the delay. `lipSync: true` groups them.
      streamId: this.#options.lipSync ? group : `${group}-${options.kind}`,
    });
    this.#consuming.set(info.producerId, { info, participant, consumer, options });
    this.#personOf(participant, info.userId ?? null).mediaStream.addTrack(consumer.track);
    if (playsInPlayer(participant, options.kind))
      this.snapshot.mediaStream?.addTrack(consumer.track);
    if (options.kind === 'audio') this.#watchLevels();
    if (options.kind === 'video' && participant === HOST) {
      this.update({ spatialLayers: options.spatialLayers ?? 1 });
      if (this.#preferredLayer !== undefined && this.#signalling.preferLayer) {
        await this.#signalling.preferLayer(options.id, this.#preferredLayer);
      }
    }
    await this.#signalling.resumeConsumer(options.id);
    this.#refreshStatus();
  }

  /** A participant's entry, made on their first track (the host's exists from the start). */
  #personOf(key: string, userId: string | null): ParticipantEntry {
    let person = this.#people.get(key);
    if (!person) {
      person = { userId, mediaStream: new MediaStream(), audioLevel: 0, speakingUntil: 0 };
      this.#people.set(key, person);
    }
    return person;
  }

  #drop(producerId: string): void {
    const entry = this.#consuming.get(producerId);
    if (!entry) return;
    this.#consuming.delete(producerId);
    const person = this.#people.get(entry.participant);
    person?.mediaStream.removeTrack(entry.consumer.track);
    if (playsInPlayer(entry.participant, entry.options.kind)) {
      this.snapshot.mediaStream?.removeTrack(entry.consumer.track);
    }
    entry.consumer.close();
    // A member with no track left has left the stage; the host stays (their return is awaited).
    if (entry.participant !== HOST && person && !person.mediaStream.getTracks().length) {
      this.#people.delete(entry.participant);
    }
    this.#refreshStatus();
  }

  /** Reads the audio levels of every audio track while there are any. */
  #watchLevels(): void {
    if (this.#levelTimer) return;
    this.#levelTimer = setInterval(() => {
      const audio = [...this.#consuming.values()].filter((c) => c.options.kind === 'audio');
      if (!audio.length) {
        clearInterval(this.#levelTimer);
        this.#levelTimer = undefined;
      }
      // Levels matter once several people publish (who is speaking); alone, the host's
      // would only wake the viewer's subscribers five times a second.
      if (this.#people.size < 2) return;
      const now = Date.now();
      let changed = false;
      for (const entry of audio) {
        const person = this.#people.get(entry.participant);
        if (!person) continue;
        const level = levelOf(entry.consumer.rtpReceiver);
        const wasSpeaking = person.speakingUntil > now - LEVEL_INTERVAL_MS;
        if (level >= SPEAKING_LEVEL) person.speakingUntil = now + SPEAKING_HOLD_MS;
        const rounded = Math.round(level * 100) / 100;
        if (rounded !== person.audioLevel || wasSpeaking !== person.speakingUntil > now) {
          changed = true;
        }
        person.audioLevel = rounded;
      }
      if (changed) this.#refreshStatus();
    }, LEVEL_INTERVAL_MS);
  }

  #refreshStatus(): void {
    if (this.#closed || this.snapshot.status === 'failed' || !this.snapshot.mediaStream) return;
    const hasVideo = [...this.#consuming.values()].some((c) => c.options.kind === 'video');
    this.update({ status: hasVideo ? 'playing' : 'waiting', participants: this.#participants() });
  }

  /** The snapshot's participants: the host first (while anything of theirs comes), then the rest. */
  #participants(): RealtimeParticipant[] {
    const now = Date.now();
    const list: RealtimeParticipant[] = [];
    for (const [key, person] of this.#people) {
      const theirs = [...this.#consuming.values()].filter((c) => c.participant === key);
      const kinds = theirs.map((c) => c.options.kind);
      if (!kinds.length) continue;
      list.push({
        userId: person.userId,
        host: key === HOST,
        mediaStream: person.mediaStream,
        hasVideo: kinds.includes('video'),
        hasAudio: kinds.includes('audio'),
        audioLevel: person.audioLevel,
        speaking: person.speakingUntil > now,
        sharingScreen: theirs.some((c) => c.info.source === 'screen'),
      });
    }
    return list;
  }

  #fail(error: OnAirError): void {
    if (this.#closed) return;
    this.update({ status: 'failed', error });
    this.#release();
  }

  #release(): void {
    clearInterval(this.#levelTimer);
    this.#levelTimer = undefined;
    for (const off of this.#offs.splice(0)) off();
    for (const entry of this.#consuming.values()) entry.consumer.close();
    this.#consuming.clear();
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport) {
      transport.close();
      this.#signalling.closeTransport(transport.id).catch(() => undefined);
    }
    this.#lease?.release();
    this.#lease = undefined;
  }

  /** Stops receiving and leaves the room. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#release();
    this.#closed = true;
    this.update({ status: 'closed' });
  }
}
