// The page of the <onair-chat> render benchmark (scripts/bench-chat-ui.ts):
// 10,000 messages, then 200 new ones a second in 100 ms batches, then a scroll
// through the history. It measures render time per update, frame intervals
// and long tasks, in Chromium.
import type { ChatEntry, ChatState } from '@onair/core';
import '@onair/elements';
import type { OnAirChatElement } from '@onair/elements';

const HISTORY = 10_000;
const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara'];
const lines = [
  'Hello!',
  'Great stream 🎉',
  'Can you zoom in? @Ada',
  'This is a longer message that wraps onto a second line in a narrow chat column, to make rows of different heights.',
  '+1',
];

let seq = 0;
const entry = (): ChatEntry => {
  const i = seq++;
  return {
    id: `msg_${i}`,
    streamId: 'str_bench',
    author: {
      id: `usr_${i % 300}`,
      displayName: names[i % names.length] as string,
      badges: i % 9 === 0 ? ['subscriber-1'] : [],
    },
    text: lines[i % lines.length] as string,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 100).toISOString(),
    delivery: 'sent',
  };
};

class Store {
  state: ChatState = {
    status: 'joined',
    stream: null,
    messages: Array.from({ length: HISTORY }, entry),
    viewerCount: 1000,
    restricted: null,
    cooldownUntil: null,
    notices: [],
    pinned: null,
    hasOlder: false,
    loadingOlder: false,
    error: null,
  };
  private listeners = new Set<(s: ChatState) => void>();
  subscribe = (l: (s: ChatState) => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getSnapshot = () => this.state;
  append(n: number) {
    // Like ChatStore: one new array per batch, trimmed to 10,000.
    this.state = {
      ...this.state,
      messages: [...this.state.messages, ...Array.from({ length: n }, entry)].slice(-HISTORY),
    };
    for (const l of this.listeners) l(this.state);
  }
  send = async () => null;
  dismiss() {}
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};
const frame = () => new Promise<number>((r) => requestAnimationFrame(r));

async function frames(during: () => Promise<void>) {
  const intervals: number[] = [];
  let running = true;
  void (async () => {
    let last = await frame();
    while (running) {
      const now = await frame();
      intervals.push(now - last);
      last = now;
    }
  })();
  await during();
  running = false;
  return intervals;
}

async function run() {
  const longTasks: number[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });

  const chat = document.getElementById('chat') as OnAirChatElement;
  const store = new Store();
  const t0 = performance.now();
  chat.store = store;
  await chat.updateComplete;
  await frame();
  await chat.updateComplete;
  const mountMs = performance.now() - t0;

  // Live: 20 messages every 100 ms for 10 s, pinned to the newest.
  const updates: number[] = [];
  const live = await frames(async () => {
    for (let i = 0; i < 100; i++) {
      const start = performance.now();
      store.append(20);
      await chat.updateComplete;
      updates.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 100 - Math.min(99, performance.now() - start)));
    }
  });
  const rows = chat.shadowRoot?.querySelectorAll('li[data-id]').length ?? 0;
  const liveLongTasks = longTasks.length;

  // Scroll from the top to the bottom in 150 steps, one per frame.
  const list = chat.shadowRoot?.querySelector('ol') as HTMLElement;
  const scroll = await frames(async () => {
    for (let i = 0; i <= 150; i++) {
      list.scrollTop = (list.scrollHeight - list.clientHeight) * (i / 150);
      list.dispatchEvent(new Event('scroll'));
      await frame();
    }
  });
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return {
    messages: store.state.messages.length,
    mountMs,
    rowsRendered: rows,
    updateP50: pct(updates, 0.5),
    updateP99: pct(updates, 0.99),
    updateMax: Math.max(...updates),
    liveFrameP50: pct(live, 0.5),
    liveFrameP99: pct(live, 0.99),
    liveFramesOver50: live.filter((f) => f > 50).length,
    liveFrames: live.length,
    liveLongTasks,
    scrollFrameP50: pct(scroll, 0.5),
    scrollFrameP99: pct(scroll, 0.99),
    scrollFramesOver50: scroll.filter((f) => f > 50).length,
    scrollFrames: scroll.length,
    scrollLongTasks: longTasks.length - liveLongTasks,
    heapMb: memory ? memory.usedJSHeapSize / 2 ** 20 : null,
  };
}

(window as unknown as { runBench: typeof run }).runBench = run;
