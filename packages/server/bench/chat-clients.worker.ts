// Load generator thread of the chat benchmark: connects its share of the
// clients, then, on command, sends its share of the message rate and records
// the delivery latency of every message each of its clients receives.
import { parentPort, workerData } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';

interface Setup {
  kind: 'onair' | 'baseline';
  url: string;
  room: string;
  count: number;
  offset: number;
}

export type ToWorker =
  | { type: 'drain' }
  | { type: 'run'; tag: string; rate: number; seconds: number; startAt: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; connected: number }
  | { type: 'drained' }
  | {
      type: 'result';
      sent: number;
      refused: number;
      lateAcks: number;
      delivered: number;
      latencies: Float64Array;
    };

const setup = workerData as Setup;
if (!parentPort) throw new Error('chat-clients.worker runs in a worker thread');
const port = parentPort;
// One clock for every thread: absolute milliseconds with sub-millisecond precision.
const now = () => performance.timeOrigin + performance.now();
const TICK_MS = 10;

const clients: Socket[] = [];
let tag = 'warmup ';
let latencies = new Float64Array(0);
let delivered = 0;
let seen = 0;

function record(text: string): void {
  seen++;
  if (!text.startsWith(tag)) return;
  const at = text.lastIndexOf(' t');
  if (at < 0) return;
  if (delivered < latencies.length) latencies[delivered] = now() - Number(text.slice(at + 2));
  delivered++;
}

async function devToken(displayName: string): Promise<string> {
  const response = await fetch(`${setup.url}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function connect(index: number): Promise<Socket> {
  const token = setup.kind === 'onair' ? await devToken(`Bench ${index}`) : undefined;
  const socket = io(setup.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: token ? { token } : {},
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (setup.kind === 'onair') {
    socket.on('batch', (events: Array<[string, { text?: string }]>) => {
      for (const [name, payload] of events) {
        if (name === 'chat:message' && payload.text) record(payload.text);
      }
    });
    const ack = await socket.emitWithAck('stream:join', { streamId: setup.room });
    if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
  } else {
    socket.on('chat', (message: { text: string }) => record(message.text));
    await socket.emitWithAck('join', setup.room);
  }
  return socket;
}

async function drain(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const before = seen;
    await new Promise((r) => setTimeout(r, 1000));
    if (seen === before) return;
  }
}

async function run(command: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  tag = command.tag;
  delivered = 0;
  // Every client receives every message of all threads.
  latencies = new Float64Array(
    Math.ceil(command.rate * 2 * command.seconds * 1.2) * clients.length * 2,
  );
  await new Promise((r) => setTimeout(r, Math.max(0, command.startAt - now())));
  let sent = 0;
  let refused = 0;
  let lateAcks = 0;
  let next = 0;
  const pending: Array<Promise<void>> = [];
  const started = now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = now() - started;
      if (elapsed >= command.seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Catch up on the schedule even when a tick runs late.
      for (let due = Math.floor((command.rate * elapsed) / 1000) - sent; due >= 1; due--) {
        const socket = clients[next++ % clients.length] as Socket;
        const text = `${tag}${setup.offset}-${sent} t${now()}`;
        sent++;
        const ack =
          setup.kind === 'onair'
            ? socket.timeout(5000).emitWithAck('chat:send', { streamId: setup.room, text })
            : socket.timeout(5000).emitWithAck('chat', { room: setup.room, text });
        pending.push(
          ack.then(
            (reply: { ok: boolean }) => {
              if (!reply.ok) refused++;
            },
            () => {
              // No answer within 5 s: the message may still arrive; it counts as sent.
              lateAcks++;
            },
          ),
        );
      }
    }, TICK_MS);
  });
  await Promise.all(pending);
  // Let the last batches arrive.
  await new Promise((r) => setTimeout(r, 1500));
  const result = latencies.slice(0, Math.min(delivered, latencies.length));
  const message: FromWorker = {
    type: 'result',
    sent,
    refused,
    lateAcks,
    delivered,
    latencies: result,
  };
  port.postMessage(message, [result.buffer]);
}

for (let i = 0; i < setup.count; i += 50) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(50, setup.count - i) }, (_, j) => connect(setup.offset + i + j)),
  );
  clients.push(...batch);
}
port.postMessage({ type: 'ready', connected: clients.length } satisfies FromWorker);

port.on('message', (command: ToWorker) => {
  if (command.type === 'drain') {
    void drain().then(() => port.postMessage({ type: 'drained' } satisfies FromWorker));
  } else if (command.type === 'run') {
    void run(command);
  } else {
    for (const socket of clients) socket.disconnect();
    port.close();
  }
});
