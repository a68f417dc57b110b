import { request } from 'node:http';
import { connect } from 'node:net';
import type { Plugin } from 'vite';

const PREFIXES = [
  '/v1/',
  '/hls/',
  '/clips/',
  '/thumbnails/',
  '/socket.io/',
  '/healthz',
  '/whip',
  '/whep',
];
const matches = (url: string | undefined) => !!url && PREFIXES.some((p) => url.startsWith(p));

function target(): URL {
  const url = process.env.ONAIR_TEST_URL;
  if (!url) throw new Error('ONAIR_TEST_URL is not set: the browser global setup did not run');
  return new URL(url);
}

/**
 * Test-only Vite plugin: forwards OnAir routes (HTTP and WebSocket upgrades)
 * from the browser test page's origin to the real OnAir server started by the
 * global setup, the way a host app mounts OnAir under its own origin.
 */
export function onairTestProxy(): Plugin {
  return {
    name: 'onair-test-proxy',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!matches(req.url)) return next();
        const { hostname, port } = target();
        const upstream = request(
          { hostname, port, path: req.url, method: req.method, headers: req.headers },
          (response) => {
            res.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(res);
          },
        );
        upstream.on('error', () => {
          res.statusCode = 502;
          res.end();
        });
        req.pipe(upstream);
      });
      server.httpServer?.on('upgrade', (req, socket, head) => {
        if (!matches(req.url)) return;
        const { hostname, port } = target();
        const upstream = connect(Number(port), hostname, () => {
          const headers = Object.entries(req.headers)
            .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
            .join('\r\n');
          upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
          upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
        const close = () => {
          upstream.destroy();
          socket.destroy();
        };
        upstream.on('error', close);
        socket.on('error', close);
      });
    },
  };
}
