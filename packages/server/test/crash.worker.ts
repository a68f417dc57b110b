// A server in its own process, to be killed (SIGKILL) by a test that checks what a
// crash leaves behind: options come as JSON in ONAIR_WORKER_OPTIONS; the URL and the
// RTMP URL are printed once listening.
import { createServer } from '../src/app/server.js';

const server = await createServer(JSON.parse(process.env.ONAIR_WORKER_OPTIONS ?? '{}'));
process.stdout.write(`${JSON.stringify({ url: server.url, rtmpUrl: server.rtmpUrl })}\n`);
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
