import { OnAirClient } from '@onair/core';
import { DevTokenResponseSchema, type Stream } from '@onair/protocol';

/** Test-only: a signed-in client against the browser project's real server (via the test proxy). */
export async function signedInClient(displayName: string): Promise<OnAirClient> {
  // Same origin: the test page proxies OnAir routes to the real server.
  const baseUrl = location.origin;
  const response = await fetch(`${baseUrl}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  const { token } = DevTokenResponseSchema.parse(await response.json());
  return new OnAirClient({ baseUrl, token });
}

/** Test-only: a stream owned by `client`'s user, optionally started. */
export async function createStream(client: OnAirClient, live: boolean): Promise<Stream> {
  const { stream } = await client.streams.create({ title: 'Element test' });
  return live ? client.streams.start(stream.id) : stream;
}

/** Mounts `html` in a fresh container and returns it. */
export function mount(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  return container;
}
