import { OnAirClient } from '@onair/core';
import '@onair/elements';
import { type DevTokenResponse, DevTokenResponseSchema } from '@onair/protocol';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const watchId = params.get('watch');
const baseUrl = location.origin;

async function devToken(displayName: string): Promise<DevTokenResponse> {
  const response = await fetch(`${baseUrl}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  if (!response.ok) throw new Error(`Could not sign in (${response.status})`);
  return DevTokenResponseSchema.parse(await response.json());
}

function showStage(client: OnAirClient, streamId: string, title: string, role: 'host' | 'viewer') {
  $('stream-title').textContent = title;
  $('stage').hidden = false;
  const media = $('media');
  if (role === 'host') {
    const broadcaster = document.createElement('onair-broadcaster');
    broadcaster.client = client;
    broadcaster.streamId = streamId;
    media.append(broadcaster);
    const link = $<HTMLAnchorElement>('watch-link');
    link.href = `${location.pathname}?watch=${encodeURIComponent(streamId)}`;
    link.textContent = new URL(link.href, location.href).toString();
    $('share').hidden = false;
  } else {
    const player = document.createElement('onair-player');
    player.muted = true;
    player.client = client;
    player.streamId = streamId;
    media.append(player);
  }
  const chat = $<HTMLElementTagNameMap['onair-chat']>('chat');
  chat.client = client;
  chat.streamId = streamId;
}

$<HTMLFormElement>('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = new FormData(event.currentTarget as HTMLFormElement).get('name');
  const { token } = await devToken(String(name));
  const client = new OnAirClient({ baseUrl, token });
  $('signin').hidden = true;
  if (watchId) {
    const stream = await client.streams.get(watchId);
    showStage(client, watchId, stream.title, 'viewer');
    return;
  }
  $('create').hidden = false;
  $<HTMLFormElement>('create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = String(new FormData(e.currentTarget as HTMLFormElement).get('title'));
    const { stream } = await client.streams.create({ title });
    $('create').hidden = true;
    showStage(client, stream.id, stream.title, 'host');
  });
});
