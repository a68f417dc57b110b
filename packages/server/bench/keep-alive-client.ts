import { connect, type Socket } from 'node:net';

/** How a request ended: its status (0: no answer), its Retry-After and its body. */
export type Answer = (status: number, retryAfter: string | undefined, body: string) => void;

interface Request {
  bytes: string;
  answer: Answer;
}

interface Connection {
  socket: Socket;
  request: Request | undefined;
  /** What arrived of the answer so far. */
  received: Buffer | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A lean HTTP/1.1 client for generating load: keep-alive connections to one
 * server, one request at a time on each, requests queued when all are busy.
 * It writes each request in one piece and reads only the status line and the
 * headers it needs, so that on a small machine the load generator leaves the
 * CPU to the server it measures (with node:http the analytics benchmark's
 * generator took about twice the CPU). Answers must carry a Content-Length
 * (or be a 204 or 304), as the OnAir server's do; any other answer fails its
 * request.
 */
export class KeepAliveClient {
  private readonly idle: Connection[] = [];
  private readonly queue: Request[] = [];
  private open = 0;
  private closed = false;
  private readonly host: string;
  private readonly port: number;

  constructor(
    origin: URL,
    private readonly maxConnections: number,
    private readonly timeoutMs: number,
  ) {
    this.host = origin.hostname;
    this.port = Number(origin.port || 80);
  }

  /** Sends `body` to `path`; `answer` is called once, with status 0 if no answer came. */
  post(path: string, contentType: string, body: string, answer: Answer): void {
    const bytes =
      `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: ${contentType}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const request = { bytes, answer };
    const connection = this.idle.pop();
    if (connection) this.send(connection, request);
    else if (this.open < this.maxConnections) this.send(this.connect(), request);
    else this.queue.push(request);
  }

  /** Closes every connection; requests under way or queued get status 0. */
  close(): void {
    this.closed = true;
    for (const request of this.queue.splice(0)) request.answer(0, undefined, '');
    for (const connection of this.idle.splice(0)) connection.socket.destroy();
  }

  private connect(): Connection {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    const connection: Connection = {
      socket,
      request: undefined,
      received: undefined,
      timer: undefined,
    };
    this.open++;
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.open--;
      const at = this.idle.indexOf(connection);
      if (at >= 0) this.idle.splice(at, 1);
      this.finish(connection, 0, undefined, '', false);
      // Requests waiting for a connection get a new one.
      const next = this.queue.shift();
      if (next && !this.closed) this.send(this.connect(), next);
    });
    return connection;
  }

  private send(connection: Connection, request: Request): void {
    connection.request = request;
    connection.received = undefined;
    connection.timer = setTimeout(() => connection.socket.destroy(), this.timeoutMs);
    connection.socket.write(request.bytes);
  }

  private receive(connection: Connection, chunk: Buffer): void {
    const data = connection.received ? Buffer.concat([connection.received, chunk]) : chunk;
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) {
      connection.received = data;
      return;
    }
    const head = data.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined && status !== 204 && status !== 304) {
      connection.socket.destroy();
      return;
    }
    const total = end + 4 + Number(length ?? 0);
    if (data.length < total) {
      connection.received = data;
      return;
    }
    const retryAfter = /\r\nretry-after: *([^\r]*)/i.exec(head)?.[1];
    const keep = !/\r\nconnection: *close/i.test(head) && data.length === total;
    this.finish(connection, status, retryAfter, data.toString('utf8', end + 4, total), keep);
  }

  /** Answers the connection's request, then gives it the next one (or keeps it idle). */
  private finish(
    connection: Connection,
    status: number,
    retryAfter: string | undefined,
    body: string,
    keep: boolean,
  ): void {
    const { request } = connection;
    clearTimeout(connection.timer);
    connection.request = undefined;
    connection.received = undefined;
    if (!keep) connection.socket.destroy();
    if (request) request.answer(status, retryAfter, body);
    if (!keep || this.closed) return;
    const next = this.queue.shift();
    if (next) this.send(connection, next);
    else this.idle.push(connection);
  }
}
