// A server for the chat benchmark, in its own process so that the load
// generator does not share its event loop. ONAIR_BENCH_KIND is `onair` (the
// real server: persistence, validation, moderation, rate limits) or
// `baseline` (a bare socket.io broadcast server). Prints `{ url }` when ready.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createServer } from '../src/app/server.js';
import { scratchDatabase } from '../test/scratch-database.js';

const kind = process.env.ONAIR_BENCH_KIND ?? 'onair';
let close: () => Promise<void>;
let url: string;

if (kind === 'baseline') {
  const http = createHttpServer();
  const io = new Server(http, { maxHttpBufferSize: 16 * 1024 });
  let seq = 0;
  io.on('connection', (socket) => {
    socket.on('join', (room: unknown, ack: unknown) => {
      if (typeof room !== 'string' || typeof ack !== 'function') return;
      void socket.join(room);
      ack({ ok: true });
    });
    socket.on('chat', (payload: { room?: unknown; text?: unknown }, ack: unknown) => {
      if (typeof ack !== 'function') return;
      if (typeof payload?.room !== 'string' || typeof payload.text !== 'string') {
        return ack({ ok: false });
      }
      const message = { id: `m${++seq}`, text: payload.text };
      io.to(payload.room).emit('chat', message);
      ack({ ok: true, data: message });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => io.close(() => resolve()));
} else {
  // PostgreSQL: a fresh database, dropped on close.
  const database = process.env.ONAIR_BENCH_DATABASE_URL
    ? await scratchDatabase(process.env.ONAIR_BENCH_DATABASE_URL)
    : undefined;
  const server = await createServer({
    devAuth: true,
    logLevel: 'silent',
    media: { enabled: false },
    restRateLimit: false,
    databaseUrl: database?.url,
    redisUrl: undefined,
    // On, with room for the offered load: each client sends well under 10 per second.
    chatRate: { capacity: 20, refillPerSecond: 10 },
    chatFilter: { words: ['badword'] },
    ...(process.env.BENCH_WINDOW_MS ? { batchWindowMs: Number(process.env.BENCH_WINDOW_MS) } : {}),
  });
  url = server.url;
  close = async () => {
    await server.close();
    await database?.drop();
  };
}

process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => void close().then(() => process.exit(0)));
