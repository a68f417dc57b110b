// A server in its own process for the scale-out test: options come as JSON in
// ONAIR_WORKER_OPTIONS; the URL is printed once listening; SIGTERM closes it.
import { createServer } from '../src/app/server.js';

const server = await createServer(JSON.parse(process.env.ONAIR_WORKER_OPTIONS ?? '{}'));
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
