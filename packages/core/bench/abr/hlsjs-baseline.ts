import Hls, { AbrController, AttrList, Events, Level } from 'hls.js';
import type { Controller, PartRequest, SessionView } from './simulator.js';

type Listener = (event: string, data: unknown) => void;

/**
 * hls.js's own `AbrController` class (not a re-implementation), driven by a
 * minimal stand-in for the `Hls` object: the fields and events the
 * controller reads (levels with live details, config, the media's playback
 * rate, the forward buffer, FRAG_LOADING / FRAG_LOADED / FRAG_BUFFERED,
 * LEVEL_SWITCHING / LEVEL_LOADED). Its clock (`performance.now`) and timers
 * (`self.setInterval`, for the emergency abandon check) are the simulator's
 * virtual ones while a session runs.
 */
export function hlsJsController(): Controller {
  let view: SessionView;
  let abr: AbrController;
  const listeners = new Map<string, Set<{ fn: Listener; context: unknown }>>();
  let restore: (() => void) | undefined;
  let current:
    | { frag: Record<string, unknown>; part: Record<string, unknown>; stats: Stats }
    | undefined;
  let forced: number | undefined;

  interface Stats {
    aborted: boolean;
    loaded: number;
    total: number;
    retry: number;
    chunkCount: number;
    bwEstimate: number;
    loading: { start: number; first: number; end: number };
    parsing: { start: number; end: number };
    buffering: { start: number; first: number; end: number };
  }

  const hls: Record<string, unknown> & { levels: Level[]; loadLevel: number } = {
    logger: {
      log() {},
      warn() {},
      info() {},
      debug() {},
      error() {},
      trace() {},
    },
    config: {
      ...Hls.DefaultConfig,
      lowLatencyMode: true,
      maxLiveSyncPlaybackRate: 1.1,
      useMediaCapabilities: false,
    },
    userConfig: {},
    levels: [],
    allAudioTracks: [],
    loadLevel: -1,
    minAutoLevel: 0,
    firstLevel: 0,
    autoLevelEnabled: true,
    latestLevelDetails: null,
    on(event: string, fn: Listener, context: unknown) {
      const set = listeners.get(event) ?? new Set();
      set.add({ fn, context });
      listeners.set(event, set);
    },
    off(event: string, fn: Listener) {
      for (const entry of listeners.get(event) ?? [])
        if (entry.fn === fn) listeners.get(event)?.delete(entry);
    },
    trigger(event: string, data: unknown) {
      for (const { fn, context } of [...(listeners.get(event) ?? [])])
        fn.call(context, event, data);
      return true;
    },
    removeLevel() {},
  };
  Object.defineProperties(hls, {
    maxAutoLevel: { get: () => hls.levels.length - 1 },
    loadLevelObj: { get: () => hls.levels[hls.loadLevel] ?? null },
    nextLoadLevel: {
      get: () => forced ?? abr.nextAutoLevel,
      // As hls.js's level controller: the level loaded changes at once (LEVEL_SWITCHING) and its
      // live playlist is reloaded. The controller's emergency abort waits for that
      // (`hls.loadLevel === nextLoadLevel`).
      set: (level: number) => {
        forced = level;
        if (level < 0 || level === hls.loadLevel) return;
        trigger(Events.LEVEL_SWITCHING, { level });
        hls.loadLevel = level;
        levelLoaded(level);
      },
    },
    nextAutoLevel: {
      get: () => abr.nextAutoLevel,
      set: (level: number) => {
        abr.nextAutoLevel = level;
      },
    },
    media: {
      get: () => ({
        playbackRate: view.playbackRate(),
        paused: false,
        readyState: 4,
        currentTime: 0,
      }),
    },
    mainForwardBufferInfo: {
      get: () => ({ len: view.buffer(), start: 0, end: view.buffer(), nextStart: undefined }),
    },
  });
  const trigger = (event: string, data: unknown) =>
    (hls.trigger as (e: string, d: unknown) => void)(event, data);
  /**
   * Ends the download in flight for the level hls.js now loads, a moment later (hls.js picks
   * it right after aborting). Both its paths lead here: `frag.abortRequests()`, and
   * FRAG_LOAD_EMERGENCY_ABORTED, on which hls.js's stream controller loads the part again at
   * the new level (its fragment loader aborting the old request).
   */
  const abandon = () => {
    const id = view.clock.setInterval(() => {
      view.clock.clearInterval(id);
      const to = forced ?? abr.nextAutoLevel;
      if (view.abort(to)) forced = undefined;
    }, 1);
  };

  const levelLoaded = (level: number) => {
    const now = view.clock.now();
    const details = hls.levels[level]?.details;
    trigger(Events.LEVEL_LOADED, {
      details,
      level,
      levelInfo: hls.levels[level],
      id: 0,
      stats: { loading: { start: now, first: now, end: now + view.config.rtt * 1000 } },
      deliveryDirectives: null,
    });
  };

  return {
    name: 'hls.js',
    attach(session) {
      view = session;
      const { config } = session;
      const segment = config.partDuration * config.partsPerSegment;
      const details = {
        live: true,
        partTarget: config.partDuration,
        targetduration: Math.ceil(segment),
        averagetargetduration: segment,
        totalduration: 120,
        edge: 0,
        age: 0,
        fragments: [],
      };
      hls.levels = config.ladder.map((bitrate, i) => {
        const level = new Level({
          url: `${i}.m3u8`,
          name: String(i),
          bitrate,
          width: 0,
          height: 0,
          videoCodec: 'avc1.4d401f',
          audioCodec: 'mp4a.40.2',
          attrs: new AttrList({ BANDWIDTH: String(bitrate), 'FRAME-RATE': '30' }),
        } as unknown as ConstructorParameters<typeof Level>[0]);
        level.details = details as unknown as NonNullable<Level['details']>;
        return level;
      });
      hls.latestLevelDetails = details;
      // The controller's clock and timers are the simulation's while it runs.
      const g = globalThis as unknown as Record<string, unknown>;
      const saved = { performance: g.performance, self: g.self };
      Object.defineProperty(globalThis, 'performance', {
        value: { now: () => session.clock.now() },
        configurable: true,
        writable: true,
      });
      g.self = {
        setInterval: session.clock.setInterval,
        clearInterval: session.clock.clearInterval,
      };
      restore = () => {
        Object.defineProperty(globalThis, 'performance', {
          value: saved.performance,
          configurable: true,
          writable: true,
        });
        g.self = saved.self;
      };
      abr = new AbrController(hls as unknown as ConstructorParameters<typeof AbrController>[0]);
      (hls.on as (e: string, fn: () => void, context: unknown) => void)(
        Events.FRAG_LOAD_EMERGENCY_ABORTED,
        abandon,
        null,
      );
      trigger(Events.MANIFEST_LOADING, { url: 'master.m3u8' });
    },
    chooseLevel() {
      const level = forced ?? abr.nextAutoLevel;
      forced = undefined;
      return Math.max(0, Math.min(hls.levels.length - 1, level));
    },
    onLoading(request: PartRequest) {
      if (request.level !== hls.loadLevel && hls.loadLevel >= 0) {
        trigger(Events.LEVEL_SWITCHING, { level: request.level });
        levelLoaded(request.level);
      }
      if (hls.loadLevel < 0) levelLoaded(request.level);
      hls.loadLevel = request.level;
      const start = view.clock.now();
      const stats: Stats = {
        aborted: false,
        loaded: 0,
        total: request.bytes,
        retry: 0,
        chunkCount: 0,
        bwEstimate: 0,
        loading: { start, first: 0, end: 0 },
        parsing: { start: 0, end: 0 },
        buffering: { start: 0, first: 0, end: 0 },
      };
      // While loading, progress is read live from the simulated transfer.
      Object.defineProperty(stats, 'loaded', {
        get: () => view.loadedBytes(),
        configurable: true,
        enumerable: true,
      });
      Object.defineProperty(stats.loading, 'first', {
        get: () => {
          const first = view.firstByteTime();
          return first === null ? 0 : first * 1000;
        },
        configurable: true,
        enumerable: true,
      });
      const segment = view.config.partsPerSegment;
      const frag: Record<string, unknown> = {
        type: 'main',
        sn: Math.floor(request.index / segment),
        level: request.level,
        duration: view.config.partDuration * segment,
        bitrate: view.config.ladder[request.level],
        stats,
        abortRequests: abandon,
      };
      const part = {
        index: request.index % segment,
        duration: request.duration,
        independent: request.independent,
        stats,
        fragment: frag,
      };
      current = { frag, part, stats };
      trigger(Events.FRAG_LOADING, { frag, part, targetBufferTime: null });
    },
    onDownload(download) {
      const entry = current;
      if (!entry) return;
      const { stats } = entry;
      const first = download.firstByte * 1000;
      const end = download.end * 1000;
      Object.defineProperty(stats, 'loaded', { value: download.bytes, writable: true });
      Object.defineProperty(stats.loading, 'first', { value: first, writable: true });
      stats.loading.end = end;
      stats.parsing = { start: end, end };
      stats.buffering = { start: end, first: end, end };
      trigger(Events.FRAG_LOADED, {
        frag: entry.frag,
        part: entry.part,
        payload: new ArrayBuffer(0),
        networkDetails: null,
      });
      trigger(Events.FRAG_BUFFERED, { frag: entry.frag, part: entry.part, stats, id: 'main' });
      current = undefined;
    },
    detach() {
      abr?.destroy();
      restore?.();
      restore = undefined;
    },
  };
}
