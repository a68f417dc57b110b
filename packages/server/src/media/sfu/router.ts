import type {
  ConsumerOptions,
  DtlsParameters,
  ProduceRequest,
  ProducerInfo,
  RtpCapabilities,
  RtpParameters,
  TransportClosed,
  TransportOptions,
  VideoSource,
} from '@onair/protocol';
import { OnAirError } from '@onair/protocol';
import { type RTCCertificate, RTCDtlsTransport } from 'werift';
import { Emitter } from '../../platform/emitter.js';
import { Consumer, type ConsumerSettings } from './consumer.js';
import { AUDIO_LEVEL_URI } from './consumer-plan.js';
import type { MediaTransport } from './media-transport.js';
import { PipeTransport } from './pipe-transport.js';
import { Producer } from './producer.js';
import { ROUTER_RTP_CAPABILITIES } from './router-capabilities.js';
import { WebRtcTransport } from './webrtc-transport.js';

/**
 * Why the server closed a transport: the publisher's key was rotated, the
 * stream ended, ICE/DTLS failed, the connection lost access to the stream,
 * or a receive transport carried no media for the idle timeout.
 */
export type TransportCloseReason = TransportClosed['reason'];

/** Receive transports one owner (connection) may hold for one stream. */
export const RECEIVE_TRANSPORTS_PER_STREAM = 1;
/** Default of {@link RealtimeSlotOptions.maxStreamsPerOwner}. */
export const DEFAULT_REALTIME_STREAMS_PER_OWNER = 4;
/** Default of {@link RealtimeSlotOptions.idleMs}: 30 s. */
export const DEFAULT_REALTIME_IDLE_MS = 30_000;
/**
 * Consumers one receive transport may hold: twice a full stage (16 people,
 * the most `stage.limit` allows, each with audio and video), so producers of
 * a member who republished on a new connection fit while the old ones wait
 * to be noticed gone. A transport holds one consumer per producer; past this
 * `consume` is refused with `RATE_LIMITED`.
 */
export const CONSUMERS_PER_TRANSPORT = 64;
/** Send transports one owner (connection) may hold for one stream: a new one replaces the old. */
export const SEND_TRANSPORTS_PER_STREAM = 1;
/** Default of {@link SfuRouterOptions.sendConnectTimeoutMs}: 30 s. */
export const DEFAULT_SEND_CONNECT_TIMEOUT_MS = 30_000;
/**
 * A pipe whose peer sent nothing (no RTP, no receiver report) for this long
 * is closed, ms: its peer crashed or lost the network. Peers report every second.
 */
export const PIPE_SILENCE_MS = 10_000;

/** One track of a stream as a pipe carries it: what the far router's producer is made from. */
export interface PipedTrack {
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
}

/** What {@link SfuRouter.pipeOut} answers: the pipe's port here and the tracks it carries. */
export interface PipeOffer {
  transportId: string;
  port: number;
  tracks: PipedTrack[];
}

/**
 * What a real-time viewer (a receive transport: a realtime connection's, or
 * a WHEP session's) may hold, so that no one client takes the slots of
 * `maxRealtimeViewers`.
 */
export interface RealtimeSlotOptions {
  /**
   * Streams one owner may receive at once, one receive transport each
   * ({@link RECEIVE_TRANSPORTS_PER_STREAM}); more are refused with
   * `RATE_LIMITED`. Default {@link DEFAULT_REALTIME_STREAMS_PER_OWNER}.
   */
  maxStreamsPerOwner?: number | undefined;
  /**
   * A receive transport that forwarded no media for this long (never
   * connected, no consumer, consumers paused, or its producers silent) is
   * closed with reason `idle`, ms. Default {@link DEFAULT_REALTIME_IDLE_MS}.
   */
  idleMs?: number | undefined;
}

/** What the router tells the rest of the server. */
export interface SfuRouterEvents {
  producer: ProducerInfo;
  producerClosed: ProducerInfo;
  /** The server closed a transport; `owner` is the connection (or WHIP/WHEP session) that made it. */
  transportClosed: { owner: string; transportId: string; reason: TransportCloseReason };
}

/** Options of {@link SfuRouter}. */
export interface SfuRouterOptions {
  /** Addresses announced in ICE candidates; default: every local IPv4 host address. */
  announcedAddresses: string[] | undefined;
  /** Bitrate the SFU lets a publisher's video reach (REMB), bits/s. Default 3 Mbit/s. */
  maxIncomingBitrate?: number | undefined;
  /** Receive transports (real-time viewers) per stream; 0 turns real-time viewing off. Default 50. */
  maxRealtimeViewers?: number | undefined;
  /** What one real-time viewer may hold, and when an unused slot is taken back. */
  realtimeSlots?: RealtimeSlotOptions | undefined;
  /**
   * A send transport whose ICE and DTLS are not up this long after it was
   * created is closed with reason `failed` (its publisher then reconnects,
   * or is gone), so one that never connects does not keep its UDP socket,
   * ms. Default {@link DEFAULT_SEND_CONNECT_TIMEOUT_MS}.
   */
  sendConnectTimeoutMs?: number | undefined;
  /** Called after the `producer` and `producerClosed` events, once a stream's producers changed. */
  onProducersChanged?: (streamId: string) => void;
  log: (message: string) => void;
}

/**
 * Who publishes on a send transport: a user, and whether as the stream's
 * host (its owner, whose tracks feed HLS) or as a member of its stage.
 */
/** One person publishing a stream here (see {@link SfuRouter.stagePeople}). */
export interface StagePublisher {
  /** Their user id; `host` for a host without one (a WHIP encoder's). */
  userId: string;
  host: boolean;
  video?: Producer;
  audio?: Producer;
  /** The id of the audio-level header extension (RFC 6464) in their audio's packets. */
  audioLevelId?: number | undefined;
}

export interface Participant {
  userId: string;
  host: boolean;
  /**
   * The bitrate their video may reach (REMB), bits/s: their stream's quality
   * preset's; at most, and by default, the router's.
   */
  maxBitrate?: number | undefined;
}

interface TransportEntry {
  transport: MediaTransport;
  streamId: string;
  /** A pipe links this router to another server's (either way): no viewer, no publisher. */
  direction: 'send' | 'recv' | 'pipe';
  /** The connection that created it; only it may use the transport. */
  owner: string;
  /** Send transports: whose tracks they carry. */
  participant: Participant | undefined;
  producers: Set<Producer>;
  consumers: Map<string, Consumer>;
  /** MIDs handed to this transport's consumers. */
  mids: number;
  /**
   * Receive transports: packets sent when last looked at, and when that count
   * last grew (ms; its creation until then): real media, nothing a client asks for.
   */
  sent: number;
  activeAt: number;
  /**
   * When the transport's newest consumer was made (ms): it gets a full idle
   * timeout to connect and start its media. Only a consumer of a producer the
   * transport does not consume yet counts (a repeated `consume` does not), so
   * it moves only as the stream's publishers come and go.
   */
  consumerAddedAt: number;
}

/**
 * The embedded SFU's router, in the mediasoup model: WebRTC transports owned
 * by a connection, producers grouped per stream (one audio and one video
 * each), and consumers of them on receive transports.
 */
export class SfuRouter {
  private readonly transports = new Map<string, TransportEntry>();
  private readonly producersByStream = new Map<string, Map<string, Producer>>();
  /** Whose track each local producer is. */
  private readonly participants = new WeakMap<Producer, Participant>();
  /** Stage members whose microphone the host muted, by stream. */
  private readonly mutedByHost = new Map<string, Set<string>>();
  private readonly events: Emitter<SfuRouterEvents>;
  /** Receive transports being created: they count against the limits already. */
  private readonly reserved = new Set<{ streamId: string; owner: string }>();
  /** Send transports being created, by owner and stream ({@link sendKey}). */
  private readonly sendsBeingCreated = new Set<string>();
  /** Looks for idle receive transports while there are any. */
  private idleSweep: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly options: SfuRouterOptions,
    private readonly certificate: RTCCertificate,
  ) {
    this.events = new Emitter((error) => options.log(`media listener failed: ${String(error)}`));
  }

  /** Creates the router (generates its DTLS certificate). */
  static async create(options: SfuRouterOptions): Promise<SfuRouter> {
    return new SfuRouter(options, await RTCDtlsTransport.SetupCertificate());
  }

  /** Subscribes to router events; returns the unsubscribe function. */
  on<K extends keyof SfuRouterEvents>(
    name: K,
    listener: (payload: SfuRouterEvents[K]) => void,
  ): () => void {
    return this.events.on(name, listener);
  }

  /** Bitrate a publisher's video may reach (REMB), bits/s. */
  get maxIncomingBitrate(): number {
    return this.options.maxIncomingBitrate ?? 3_000_000;
  }

  /** Router RTP capabilities. */
  capabilities(): RtpCapabilities {
    return ROUTER_RTP_CAPABILITIES;
  }

  /** A stream's producers. */
  producers(streamId: string): Producer[] {
    return [...(this.producersByStream.get(streamId)?.values() ?? [])];
  }

  /** A stream's producers whose publisher is on this server (not relayed from another). */
  localProducers(streamId: string): Producer[] {
    return this.producers(streamId).filter((p) => !p.relayed);
  }

  /**
   * The stream's host's producers here (its owner's, a WHIP encoder's): what
   * feeds HLS and what pipes carry to other servers. Stage members' tracks
   * reach real-time viewers only.
   */
  hostProducers(streamId: string): Producer[] {
    return this.localProducers(streamId).filter((p) => this.participants.get(p)?.host !== false);
  }

  /**
   * The people who publish a stream here, each with their video and audio
   * producers, the host first, then in the order they started: what a
   * composed picture is made of. Audio the host muted is left out (it
   * carries nothing).
   */
  stagePeople(streamId: string): StagePublisher[] {
    const people = new Map<string, StagePublisher>();
    for (const producer of this.localProducers(streamId)) {
      const participant = this.participants.get(producer);
      // The host's tracks (an owner's, a WHIP encoder's) are one person whatever their user.
      const key = participant?.host === false ? `user:${participant.userId}` : 'host';
      let person = people.get(key);
      if (!person) {
        person = { userId: participant?.userId ?? 'host', host: key === 'host' };
        people.set(key, person);
      }
      if (producer.kind === 'video') person.video = producer;
      else if (!producer.muted) {
        person.audio = producer;
        person.audioLevelId = producer.rtpParameters.headerExtensions?.find(
          (e) => e.uri === AUDIO_LEVEL_URI,
        )?.id;
      }
    }
    return [...people.values()].sort((a, b) => Number(b.host) - Number(a.host));
  }

  /** Users who publish a stream here now (its host and members of its stage). */
  publishingUsers(streamId: string): Set<string> {
    const users = new Set<string>();
    for (const producer of this.localProducers(streamId)) {
      const userId = this.participants.get(producer)?.userId;
      if (userId) users.add(userId);
    }
    return users;
  }

  /**
   * Mutes (or unmutes) a stage member's microphone for everyone: their audio
   * producers here forward nothing, and one they make later starts muted.
   */
  setParticipantMuted(streamId: string, userId: string, muted: boolean): void {
    const muters = this.mutedByHost.get(streamId) ?? new Set<string>();
    if (muted) muters.add(userId);
    else muters.delete(userId);
    if (muters.size) this.mutedByHost.set(streamId, muters);
    else this.mutedByHost.delete(streamId);
    let changed = false;
    for (const producer of this.localProducers(streamId)) {
      if (producer.kind === 'audio' && this.participants.get(producer)?.userId === userId) {
        changed ||= producer.muted !== muted;
        producer.muted = muted;
      }
    }
    // A composed picture's audio mix leaves them out (or takes them back).
    if (changed) this.options.onProducersChanged?.(streamId);
  }

  /**
   * Closes the send transports a user publishes a stream with (they left the
   * stage or were taken off it), telling their connection why: their tracks
   * stop at once for every viewer.
   */
  async closeParticipant(
    streamId: string,
    userId: string,
    reason: TransportCloseReason,
  ): Promise<void> {
    const entries = [...this.transports.values()].filter(
      (e) => e.streamId === streamId && e.participant?.userId === userId,
    );
    await Promise.all(entries.map((e) => this.closeTransport(e.transport.id, e.owner, reason)));
  }

  /** What clients are told of a producer. */
  private infoOf(producer: Producer): ProducerInfo {
    const userId = this.participants.get(producer)?.userId;
    return {
      streamId: producer.streamId,
      producerId: producer.id,
      kind: producer.kind,
      ...(userId === undefined ? {} : { userId }),
      ...(producer.source === 'screen' ? { source: producer.source } : {}),
    };
  }

  /** Whether a stream has receive transports here (real-time viewers). */
  hasReceivers(streamId: string): boolean {
    for (const e of this.transports.values()) {
      if (e.streamId === streamId && e.direction === 'recv') return true;
    }
    return false;
  }

  /** Every receive transport here (a real-time viewer: a realtime connection's or a WHEP session's), with its stream and owner. */
  receivers(): Array<{ streamId: string; owner: string }> {
    const receivers: Array<{ streamId: string; owner: string }> = [];
    for (const e of this.transports.values()) {
      if (e.direction === 'recv') receivers.push({ streamId: e.streamId, owner: e.owner });
    }
    return receivers;
  }

  /** A stream's pipes: to other servers (`out`, consumers here) and from one (`in`, relayed producers). */
  pipesOf(streamId: string): { out: number; in: number } {
    let out = 0;
    let into = 0;
    for (const e of this.transports.values()) {
      if (e.streamId !== streamId || e.direction !== 'pipe') continue;
      if (e.producers.size > 0) into++;
      else out++;
    }
    return { out, in: into };
  }

  /** Producers currently live in a stream, the host's first. */
  producersOf(streamId: string): ProducerInfo[] {
    const stage = (p: Producer) => (this.participants.get(p)?.host === false ? 1 : 0);
    return this.producers(streamId)
      .sort((a, b) => stage(a) - stage(b))
      .map((p) => this.infoOf(p));
  }

  /** Packets received by a producer (WHIP liveness), or undefined when it is gone. */
  packetsOf(streamId: string, producerId: string): number | undefined {
    return this.producersByStream.get(streamId)?.get(producerId)?.packetsReceived;
  }

  /** The owner of the transport a producer arrived on. */
  ownerOf(producer: Producer): string | undefined {
    for (const entry of this.transports.values()) {
      if (entry.producers.has(producer)) return entry.owner;
    }
    return undefined;
  }

  /**
   * Creates a transport for `owner` (a realtime connection id, or a
   * WHIP/WHEP session); a send transport carries `participant`'s tracks
   * (default: the stream's host's).
   */
  async createTransport(
    streamId: string,
    direction: 'send' | 'recv',
    owner: string,
    participant?: Participant,
  ): Promise<TransportOptions> {
    if (this.closed) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media plane is shut down');
    // The slot is taken before the first await: concurrent requests cannot all pass the checks.
    const slot = direction === 'recv' ? this.reserveSlot(streamId, owner) : undefined;
    const sending = direction === 'send' ? this.reserveSend(streamId, owner) : undefined;
    let transport: WebRtcTransport;
    try {
      transport = await WebRtcTransport.create({
        certificate: this.certificate,
        announcedAddresses: this.options.announcedAddresses,
      });
    } finally {
      if (slot) this.reserved.delete(slot);
      if (sending) this.sendsBeingCreated.delete(sending);
    }
    if (this.closed) {
      await transport.close();
      throw new OnAirError('MEDIA_UNAVAILABLE', 'Media plane is shut down');
    }
    // A publisher that connects again asks for a new send transport: the old one (and its
    // producers, which would stand in the way of the new ones) goes. Its owner asked, so
    // it is not told.
    const replaced =
      direction === 'send'
        ? [...this.transports.values()]
            .filter((e) => e.direction === 'send' && e.owner === owner && e.streamId === streamId)
            .map((e) => this.closeTransport(e.transport.id, owner))
        : [];
    const entry = this.register(transport, streamId, direction, owner);
    if (direction === 'send') {
      entry.participant = participant;
      this.closeUnlessConnected(transport, owner);
    }
    transport.onStateChange((state) => {
      if (state === 'failed') void this.closeTransport(transport.id, owner, 'failed');
    });
    if (direction === 'recv') this.watchIdle();
    await Promise.all(replaced);
    return transport.options;
  }

  /**
   * Marks a send transport of `owner` for a stream as being created, or
   * refuses with `RATE_LIMITED` while another one is: a publisher makes one at
   * a time, and a burst must not open a UDP socket each.
   */
  private reserveSend(streamId: string, owner: string): string {
    const key = sendKey(streamId, owner);
    if (this.sendsBeingCreated.has(key)) {
      throw new OnAirError(
        'RATE_LIMITED',
        'This connection is already creating a send transport for this stream: wait for it',
        { maxSendTransportsPerStream: SEND_TRANSPORTS_PER_STREAM },
      );
    }
    this.sendsBeingCreated.add(key);
    return key;
  }

  /** Closes a send transport with reason `failed` unless its ICE and DTLS come up in time. */
  private closeUnlessConnected(transport: WebRtcTransport, owner: string): void {
    const timeout = this.options.sendConnectTimeoutMs ?? DEFAULT_SEND_CONNECT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      off();
      if (transport.state !== 'connected') {
        this.options.log(`send transport ${transport.id} did not connect in ${timeout} ms`);
        void this.closeTransport(transport.id, owner, 'failed');
      }
    }, timeout);
    timer.unref();
    const off = transport.onStateChange((state) => {
      if (state === 'connected' || state === 'failed' || state === 'closed') {
        clearTimeout(timer);
        off();
      }
    });
  }

  /**
   * Takes a real-time viewing slot of a stream for `owner`, or refuses:
   * `MEDIA_UNAVAILABLE` when real-time viewing is off, `STREAM_FULL` past
   * `maxRealtimeViewers`, `RATE_LIMITED` past what one owner may hold.
   */
  private reserveSlot(streamId: string, owner: string): { streamId: string; owner: string } {
    const max = this.options.maxRealtimeViewers ?? 50;
    if (max <= 0) {
      throw new OnAirError('MEDIA_UNAVAILABLE', 'Real-time viewing is off on this server; use HLS');
    }
    const taken = [...this.reserved];
    for (const e of this.transports.values()) if (e.direction === 'recv') taken.push(e);
    if (taken.filter((e) => e.streamId === streamId).length >= max) {
      throw new OnAirError('STREAM_FULL', 'Real-time viewing of this stream is full; use HLS', {
        maxRealtimeViewers: max,
      });
    }
    const own = taken.filter((e) => e.owner === owner);
    if (own.filter((e) => e.streamId === streamId).length >= RECEIVE_TRANSPORTS_PER_STREAM) {
      throw new OnAirError(
        'RATE_LIMITED',
        'This connection already receives this stream: close that transport first',
        { maxReceiveTransportsPerStream: RECEIVE_TRANSPORTS_PER_STREAM },
      );
    }
    const streams =
      this.options.realtimeSlots?.maxStreamsPerOwner ?? DEFAULT_REALTIME_STREAMS_PER_OWNER;
    if (new Set(own.map((e) => e.streamId)).size >= streams) {
      throw new OnAirError(
        'RATE_LIMITED',
        `A connection may receive at most ${streams} streams in real time at once`,
        { maxRealtimeStreamsPerConnection: streams },
      );
    }
    const slot = { streamId, owner };
    this.reserved.add(slot);
    return slot;
  }

  private get idleMs(): number {
    return this.options.realtimeSlots?.idleMs ?? DEFAULT_REALTIME_IDLE_MS;
  }

  /** Starts the idle sweep if it is not running; it stops itself when no receive transport is left. */
  private watchIdle(): void {
    if (this.idleSweep) return;
    const every = Math.max(10, Math.min(this.idleMs / 3, 5_000));
    this.idleSweep = setInterval(() => this.sweepIdle(), every);
    this.idleSweep.unref();
  }

  /**
   * Closes receive transports that sent no media for the idle timeout, so a
   * slot someone took but does not use goes back to the stream's viewers.
   */
  private sweepIdle(): void {
    const now = performance.now();
    let receiving = 0;
    for (const entry of [...this.transports.values()]) {
      if (entry.direction !== 'recv') continue;
      const sent = entry.transport.packetsSent;
      if (sent !== entry.sent) {
        entry.sent = sent;
        entry.activeAt = now;
      }
      if (now - Math.max(entry.activeAt, entry.consumerAddedAt) >= this.idleMs) {
        void this.closeTransport(entry.transport.id, entry.owner, 'idle');
      } else {
        receiving++;
      }
    }
    if (receiving === 0) {
      clearInterval(this.idleSweep);
      this.idleSweep = undefined;
    }
  }

  private entry(transportId: string, owner: string): TransportEntry {
    const entry = this.transports.get(transportId);
    if (!entry || entry.owner !== owner) throw new OnAirError('NOT_FOUND', 'Transport not found');
    return entry;
  }

  /** Applies the client's DTLS parameters. */
  connectTransport(transportId: string, dtlsParameters: DtlsParameters, owner: string): void {
    const { transport } = this.entry(transportId, owner);
    if (!(transport instanceof WebRtcTransport)) {
      throw new OnAirError('BAD_REQUEST', 'Not a WebRTC transport');
    }
    transport.connect(dtlsParameters);
  }

  /** Starts receiving a track on a send transport. */
  produce(
    request: ProduceRequest,
    owner: string,
    options: { learnSsrc?: boolean } = {},
  ): { producerId: string } {
    const entry = this.entry(request.transportId, owner);
    if (entry.direction !== 'send') {
      throw new OnAirError('BAD_REQUEST', 'Cannot produce on a receive transport');
    }
    const participant = entry.participant;
    const same = (p: Producer) => {
      const other = this.participants.get(p);
      // Hosts are one publisher: an owner's second tab, or a WHIP encoder beside the browser.
      return participant?.host !== false
        ? other?.host !== false
        : other?.userId === participant.userId;
    };
    if (this.localProducers(entry.streamId).some((p) => p.kind === request.kind && same(p))) {
      throw new OnAirError(
        'CONFLICT',
        participant?.host === false
          ? `You already publish ${request.kind} on this stream`
          : `This stream already has a ${request.kind} producer`,
      );
    }
    // The host publishes here now: what another server relayed of the stream gives way.
    for (const pipe of participant?.host === false ? [] : [...this.transports.values()]) {
      if (pipe.streamId === entry.streamId && pipe.direction === 'pipe' && pipe.producers.size) {
        void this.closeTransport(pipe.transport.id, pipe.owner);
      }
    }
    const streamProducers = this.producersByStream.get(entry.streamId) ?? new Map();
    const producer = new Producer(
      entry.streamId,
      request.kind,
      request.rtpParameters,
      entry.transport,
      Math.min(participant?.maxBitrate ?? Number.POSITIVE_INFINITY, this.maxIncomingBitrate),
      options,
    );
    if (participant) {
      this.participants.set(producer, participant);
      producer.muted =
        producer.kind === 'audio' &&
        !!this.mutedByHost.get(entry.streamId)?.has(participant.userId);
    }
    if (producer.kind === 'video' && request.appData?.source === 'screen')
      producer.source = 'screen';
    entry.producers.add(producer);
    streamProducers.set(producer.id, producer);
    this.producersByStream.set(entry.streamId, streamProducers);
    this.events.emit('producer', this.infoOf(producer));
    this.options.onProducersChanged?.(entry.streamId);
    return { producerId: producer.id };
  }

  /**
   * Says what a video producer of `owner`'s shows now, a camera or a screen
   * (its publisher replaced the track): the room is told again, and a
   * composed stage picture shows a screen large. `NOT_FOUND` for a producer
   * that is not the connection's, `BAD_REQUEST` for audio.
   */
  setSource(producerId: string, source: VideoSource, owner: string): void {
    const producer = [...this.transports.values()]
      .filter((t) => t.owner === owner && t.direction === 'send')
      .flatMap((t) => [...t.producers])
      .find((p) => p.id === producerId);
    if (!producer) throw new OnAirError('NOT_FOUND', 'No such producer of yours');
    if (producer.kind !== 'video') {
      throw new OnAirError('BAD_REQUEST', 'Only a video track has a source');
    }
    if (producer.source === source) return;
    producer.source = source;
    this.events.emit('producer', this.infoOf(producer));
    this.options.onProducersChanged?.(producer.streamId);
  }

  /**
   * Sends a stream's tracks (its local producers, top simulcast layer as the
   * peer's REMB allows) to another server's router over a new
   * {@link PipeTransport} to `host:port`. The pipe closes when its peer says
   * BYE or goes silent for {@link PIPE_SILENCE_MS}, and when a piped
   * producer closes (the peer pipes again for the publisher's new ones).
   * `MEDIA_UNAVAILABLE` when the stream has no publisher here.
   */
  async pipeOut(streamId: string, host: string, port: number): Promise<PipeOffer> {
    if (this.closed) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media plane is shut down');
    if (!this.hostProducers(streamId).length) {
      throw new OnAirError('MEDIA_UNAVAILABLE', 'This stream has no publisher on this server');
    }
    const pipe = await PipeTransport.create();
    try {
      await pipe.connect(host, port);
    } catch (error) {
      await pipe.close();
      throw error;
    }
    const producers = this.hostProducers(streamId);
    if (this.closed || producers.length === 0) {
      await pipe.close();
      throw new OnAirError('MEDIA_UNAVAILABLE', 'This stream has no publisher on this server');
    }
    const entry = this.addPipe(streamId, pipe);
    const tracks = producers.map((producer) => {
      const consumer = new Consumer(
        producer,
        pipe,
        ROUTER_RTP_CAPABILITIES as unknown as RtpCapabilities,
        String(entry.mids++),
      );
      entry.consumers.set(consumer.id, consumer);
      consumer.onClose(() => {
        entry.consumers.delete(consumer.id);
        void this.closeTransport(pipe.id, entry.owner);
      });
      consumer.resume();
      return { kind: producer.kind, rtpParameters: consumer.plan.rtpParameters };
    });
    return { transportId: pipe.id, port: pipe.port, tracks };
  }

  /**
   * Makes the tracks another server pipes to `pipe` (connected to it) a
   * stream's producers here, marked relayed: this server's viewers consume
   * them; they feed no HLS and are no publisher. They close with the pipe.
   * `CONFLICT` when the stream's publisher is on this server.
   */
  pipeIn(streamId: string, pipe: PipeTransport, tracks: readonly PipedTrack[]): ProducerInfo[] {
    if (this.closed) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media plane is shut down');
    if (this.producers(streamId).length) {
      throw new OnAirError('CONFLICT', 'This stream already has producers on this server');
    }
    const entry = this.addPipe(streamId, pipe);
    const streamProducers = new Map<string, Producer>();
    this.producersByStream.set(streamId, streamProducers);
    const infos: ProducerInfo[] = [];
    for (const track of tracks) {
      const producer = new Producer(
        streamId,
        track.kind,
        track.rtpParameters,
        pipe,
        this.maxIncomingBitrate,
        { relayed: true },
      );
      entry.producers.add(producer);
      streamProducers.set(producer.id, producer);
      infos.push({ streamId, producerId: producer.id, kind: producer.kind });
    }
    for (const info of infos) this.events.emit('producer', info);
    return infos;
  }

  /** Records a new transport of `owner` (no producers or consumers yet). */
  private register(
    transport: MediaTransport,
    streamId: string,
    direction: TransportEntry['direction'],
    owner: string,
  ): TransportEntry {
    const entry: TransportEntry = {
      transport,
      streamId,
      direction,
      owner,
      participant: undefined,
      producers: new Set(),
      consumers: new Map(),
      mids: 0,
      sent: 0,
      activeAt: performance.now(),
      consumerAddedAt: Number.NEGATIVE_INFINITY,
    };
    this.transports.set(transport.id, entry);
    return entry;
  }

  /** Registers a pipe and closes it on its peer's BYE, on failure, or after silence. */
  private addPipe(streamId: string, pipe: PipeTransport): TransportEntry {
    const owner = `pipe:${pipe.id}`;
    const entry = this.register(pipe, streamId, 'pipe', owner);
    const close = () => void this.closeTransport(pipe.id, owner);
    const silence = setInterval(
      () => {
        if (performance.now() - pipe.lastReceivedAt >= PIPE_SILENCE_MS) close();
      },
      Math.min(1_000, PIPE_SILENCE_MS / 4),
    );
    silence.unref();
    pipe.onBye(close);
    pipe.onStateChange((state) => {
      if (state === 'closed') clearInterval(silence);
      // Closed here or failed: its consumers or relayed producers go with it.
      if (state === 'failed' || state === 'closed') close();
    });
    return entry;
  }

  /**
   * Creates a paused consumer of a producer of the transport's stream, for
   * the viewer's device capabilities. The client resumes it once its track
   * is ready ({@link resumeConsumer}). A transport has one consumer per
   * producer: asking again answers the one it has (a retry is harmless).
   * `RATE_LIMITED` past {@link CONSUMERS_PER_TRANSPORT}.
   */
  consume(
    request: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities },
    owner: string,
    /** The m-section's MID (WHEP); default: the transport's next. */
    mid?: string,
    settings?: ConsumerSettings,
  ): ConsumerOptions & { spatialLayers: number } {
    const entry = this.entry(request.transportId, owner);
    if (entry.direction !== 'recv') {
      throw new OnAirError('BAD_REQUEST', 'Cannot consume on a send transport');
    }
    const producer = this.producersByStream.get(entry.streamId)?.get(request.producerId);
    if (!producer) throw new OnAirError('NOT_FOUND', 'Producer not found in this stream');
    for (const existing of entry.consumers.values()) {
      if (existing.producer === producer) return consumerOptions(existing);
    }
    if (entry.consumers.size >= CONSUMERS_PER_TRANSPORT) {
      throw new OnAirError(
        'RATE_LIMITED',
        `A receive transport may hold at most ${CONSUMERS_PER_TRANSPORT} consumers`,
        { maxConsumersPerTransport: CONSUMERS_PER_TRANSPORT },
      );
    }
    const consumer = new Consumer(
      producer,
      entry.transport,
      request.rtpCapabilities,
      mid ?? String(entry.mids++),
      settings,
    );
    entry.consumers.set(consumer.id, consumer);
    // A new consumer gets a full idle timeout to connect and start its media.
    entry.consumerAddedAt = performance.now();
    consumer.onClose(() => entry.consumers.delete(consumer.id));
    return consumerOptions(consumer);
  }

  private consumer(consumerId: string, owner: string): Consumer {
    for (const entry of this.transports.values()) {
      if (entry.owner !== owner) continue;
      const consumer = entry.consumers.get(consumerId);
      if (consumer) return consumer;
    }
    throw new OnAirError('NOT_FOUND', 'Consumer not found');
  }

  /** Starts a consumer's media (from the next keyframe). */
  resumeConsumer(consumerId: string, owner: string): void {
    this.consumer(consumerId, owner).resume();
  }

  /** Holds a consumer's media back. */
  pauseConsumer(consumerId: string, owner: string): void {
    this.consumer(consumerId, owner).pause();
  }

  /** Caps a consumer's simulcast layer (0 = lowest). */
  setPreferredLayer(consumerId: string, layer: number, owner: string): void {
    this.consumer(consumerId, owner).setPreferredLayer(layer);
  }

  /** Whether a transport's ICE and DTLS are up (false for one unknown or closed). */
  isConnected(transportId: string): boolean {
    return this.transports.get(transportId)?.transport.state === 'connected';
  }

  /** A consumer, for tests and stats. */
  consumerOf(consumerId: string): Consumer | undefined {
    for (const entry of this.transports.values()) {
      const consumer = entry.consumers.get(consumerId);
      if (consumer) return consumer;
    }
    return undefined;
  }

  /**
   * Closes a transport and its producers. With a `reason`, the server closed it
   * (not the client), and its owner is told.
   */
  async closeTransport(
    transportId: string,
    owner: string,
    reason?: TransportCloseReason,
  ): Promise<void> {
    const entry = this.transports.get(transportId);
    if (!entry || entry.owner !== owner) return;
    this.transports.delete(transportId);
    if (reason) this.events.emit('transportClosed', { owner, transportId, reason });
    // Never rejects: callers close transports from timers and disconnect handlers.
    try {
      for (const consumer of [...entry.consumers.values()]) consumer.close();
      for (const producer of entry.producers) this.removeProducer(producer);
      await entry.transport.close();
    } catch (error) {
      this.options.log(`closing transport ${transportId}: ${String(error)}`);
    }
  }

  /**
   * Closes every transport an owner holds for one stream (its consumers and
   * producers with them), telling the owner why: for example
   * `access-revoked` when a connection lost the right to watch.
   */
  async closeOwnerStream(
    owner: string,
    streamId: string,
    reason: TransportCloseReason,
  ): Promise<void> {
    const ids = [...this.transports.values()]
      .filter((e) => e.owner === owner && e.streamId === streamId)
      .map((e) => e.transport.id);
    await Promise.all(ids.map((id) => this.closeTransport(id, owner, reason)));
  }

  /** Closes every transport an owner created (a connection went away). */
  async closeOwner(owner: string): Promise<void> {
    const ids = [...this.transports.entries()]
      .filter(([, e]) => e.owner === owner)
      .map(([id]) => id);
    await Promise.all(ids.map((id) => this.closeTransport(id, owner)));
  }

  /**
   * Closes a stream's transports — all, its publishers' (`send`), its
   * viewers' (`recv`), or its host's send transports only (`host`: the
   * stage's members publish on their own right) — telling their owners why.
   */
  async closeStream(
    streamId: string,
    reason: TransportCloseReason,
    only?: 'send' | 'recv' | 'host',
  ): Promise<void> {
    if (!only) this.mutedByHost.delete(streamId);
    const wanted = (e: TransportEntry) =>
      only === 'host'
        ? e.direction === 'send' && e.participant?.host !== false
        : !only || e.direction === only;
    const entries = [...this.transports.values()].filter(
      (e) => e.streamId === streamId && wanted(e),
    );
    await Promise.all(entries.map((e) => this.closeTransport(e.transport.id, e.owner, reason)));
  }

  /** Closes every transport; no new ones after this. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.idleSweep);
    this.idleSweep = undefined;
    this.mutedByHost.clear();
    const entries = [...this.transports.values()];
    await Promise.all(entries.map((e) => this.closeTransport(e.transport.id, e.owner)));
  }

  private removeProducer(producer: Producer): void {
    producer.close();
    const streamProducers = this.producersByStream.get(producer.streamId);
    streamProducers?.delete(producer.id);
    if (streamProducers?.size === 0) this.producersByStream.delete(producer.streamId);
    this.events.emit('producerClosed', this.infoOf(producer));
    if (!producer.relayed) this.options.onProducersChanged?.(producer.streamId);
  }
}

/** What a client is told of a consumer. */
function consumerOptions(consumer: Consumer): ConsumerOptions & { spatialLayers: number } {
  const { producer } = consumer;
  return {
    id: consumer.id,
    producerId: producer.id,
    kind: producer.kind,
    rtpParameters: consumer.plan.rtpParameters as RtpParameters,
    spatialLayers: producer.layers.length,
  };
}

/** The key of an owner's send transport of a stream. */
function sendKey(streamId: string, owner: string): string {
  return `${owner}\n${streamId}`;
}
