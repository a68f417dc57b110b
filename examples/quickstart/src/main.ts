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

function showStage(
  client: OnAirClient,
  stream: Stream,
  role: 'host' | 'viewer',
  viewerName: string,
) {
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
    // `?simulcast`: three layers, so real-time viewers on slow links get a smaller one.
    broadcaster.simulcast = params.has('simulcast');
    broadcaster.client = client;
    broadcaster.streamId = stream.id;
    media.append(broadcaster);
    const stats = document.createElement('onair-stats');
    stats.publisher = broadcaster.publisher;
    broadcaster.addEventListener('onair-broadcaster-status', () => {
      stats.publisher = broadcaster.publisher;
    });
    media.append(stats);
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
    $<'a'>('watch-realtime-link').href = `${link.href}&realtime`;
  } else {
    const player = document.createElement('onair-player');
    player.muted = true;
    // `?realtime`: sub-second WebRTC viewing, falling back to HLS.
    player.realtime = params.has('realtime');
    player.client = client;
    player.streamId = stream.id;
    // Reactions ride in the player's overlay slot: over the picture, clear of its controls.
    const reactions = $<'onair-reactions'>('reactions');
    reactions.slot = 'overlay';
    player.append(reactions);
    media.append(player);
    const stats = document.createElement('onair-stats');
    player.addEventListener('onair-player-status', () => {
      stats.player = player.player;
    });
    media.append(stats);
  }
  const host = role === 'host';
  const chat = $<'onair-chat'>('chat');
  chat.canModerate = host;
  chat.viewerName = viewerName;
  const reactions = $<'onair-reactions'>('reactions');
  // The host sees the audience's reactions over the preview, without a picker.
  reactions.noPicker = host;
  const viewers = $<'onair-viewer-count'>('viewers');
  viewers.canModerate = host;
  const poll = $<'onair-poll'>('poll');
  poll.canModerate = host;
  const qna = $<'onair-qna'>('qna');
  qna.canModerate = host;
  qna.hidden = !stream.qnaEnabled;
  for (const element of [chat, reactions, viewers, poll, qna]) {
    element.client = client;
    element.streamId = stream.id;
  }
}

$<'form'>('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = new FormData(event.currentTarget as HTMLFormElement).get('name');
  const { token, user } = await devToken(String(name));
  const client = new OnAirClient({ baseUrl, token });
  $('signin').hidden = true;
  const open = (stream: Stream) =>
    showStage(client, stream, stream.owner.id === user.id ? 'host' : 'viewer', user.displayName);
  // Q&A shows while the stream has it on (the host turns it on in the settings).
  client.realtime.on('stream:updated', (stream) => {
    const qna = $<'onair-qna'>('qna');
    if (qna.streamId === stream.id) qna.hidden = !stream.qnaEnabled;
  });

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
