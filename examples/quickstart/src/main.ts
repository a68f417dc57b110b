import { OnAirClient } from '@onair/core';
import '@onair/elements';
import { type DevTokenResponse, DevTokenResponseSchema, type Stream } from '@onair/protocol';

const $ = <K extends keyof HTMLElementTagNameMap>(id: string) =>
  document.getElementById(id) as HTMLElementTagNameMap[K];
const params = new URLSearchParams(location.search);
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

function showHome(client: OnAirClient) {
  $('stage').hidden = true;
  $('home').hidden = false;
  for (const id of ['live-list', 'scheduled-list', 'past-list']) {
    const list = $<'onair-stream-list'>(id);
    if (!list.client) list.client = client;
  }
  const scheduler = $<'onair-scheduler'>('scheduler');
  if (!scheduler.client) scheduler.client = client;
}

function showStage(client: OnAirClient, stream: Stream, role: 'host' | 'viewer') {
  $('home').hidden = true;
  $('stage').hidden = false;
  $('stream-title').textContent = stream.title;
  const media = $('media');
  const settings = $('settings');
  media.replaceChildren();
  settings.replaceChildren();
  $('settings-panel').hidden = role !== 'host';
  $('share').hidden = role !== 'host';
  if (role === 'host') {
    const broadcaster = document.createElement('onair-broadcaster');
    broadcaster.client = client;
    broadcaster.streamId = stream.id;
    media.append(broadcaster);
    const editor = document.createElement('onair-stream-settings');
    editor.client = client;
    editor.streamId = stream.id;
    editor.addEventListener('onair-stream-saved', (e) => {
      $('stream-title').textContent = e.detail.stream.title;
    });
    settings.append(editor);
    const link = $<'a'>('watch-link');
    link.href = `${location.pathname}?watch=${encodeURIComponent(stream.id)}`;
    link.textContent = new URL(link.href, location.href).toString();
  } else {
    const player = document.createElement('onair-player');
    player.muted = true;
    player.client = client;
    player.streamId = stream.id;
    media.append(player);
  }
  const chat = $<'onair-chat'>('chat');
  chat.canModerate = role === 'host';
  chat.client = client;
  chat.streamId = stream.id;
}

$<'form'>('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = new FormData(event.currentTarget as HTMLFormElement).get('name');
  const { token, user } = await devToken(String(name));
  const client = new OnAirClient({ baseUrl, token });
  $('signin').hidden = true;
  const open = (stream: Stream) =>
    showStage(client, stream, stream.owner.id === user.id ? 'host' : 'viewer');

  document.addEventListener('onair-stream-select', (e) => open(e.detail.stream));
  $<'onair-scheduler'>('scheduler').addEventListener('onair-stream-created', (e) => {
    // Streams created to go live now open the studio; scheduled ones stay in "Upcoming".
    if (!e.detail.stream.scheduledAt) open(e.detail.stream);
  });
  $('home-button').addEventListener('click', () => showHome(client));
  $('back-button').addEventListener('click', () => showHome(client));

  const watchId = params.get('watch');
  if (watchId) open(await client.streams.get(watchId));
  else showHome(client);
});
