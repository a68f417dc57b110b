import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A host app's webhook endpoint for tests, on a random loopback port. */
export interface WebhookReceiver {
  /** Where to point a webhook target. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts an endpoint that reads each delivery's body and answers with the
 * status `onDelivery` returns (a test's 503 makes the server retry).
 */
export async function startWebhookReceiver(
  onDelivery: (body: string, request: IncomingMessage) => number,
): Promise<WebhookReceiver> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      response.writeHead(onDelivery(body, request)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
