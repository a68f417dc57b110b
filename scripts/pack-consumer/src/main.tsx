// A strict consumer of the packed packages: every browser entry, used the way the READMEs show.
import { ChatStore, OnAirClient, OnAirError, Player, type PlayerState } from '@onair/core';
import '@onair/elements';
import type { OnAirPlayerElement } from '@onair/elements/components';
import { parseOrError, type Stream } from '@onair/protocol';
import { CreateStreamInputSchema } from '@onair/protocol/inputs';
import { OnAirPlayer, OnAirProvider, useStreamChat } from '@onair/react';
import { createRoot } from 'react-dom/client';
import { entries } from './entries.js';

const client = new OnAirClient({
  baseUrl: 'https://live.example.com',
  token: () => fetch('/api/onair-token').then((response) => response.text()),
});

const input = parseOrError(CreateStreamInputSchema, { title: 'Office hours' });
const title: string = input.ok ? input.value.title : input.error.code;

const video = document.createElement('video');
const player = new Player(video);
const state: PlayerState = player.getSnapshot();
const chat = new ChatStore(client, 'str_1');
const stop = chat.subscribe((snapshot) => console.log(snapshot.messages.length));
stop();

const element = document.querySelector('onair-chat');
if (element) element.client = client;
const playerElement: OnAirPlayerElement = document.createElement('onair-player');
playerElement.client = client;
playerElement.realtime = true;
playerElement.addEventListener('onair-player-status', (event) => console.log(event.detail.status));

function Watch({ stream }: { stream: Pick<Stream, 'id' | 'title'> }) {
  const { messages, send } = useStreamChat(stream.id);
  return (
    <section>
      <h1>{stream.title}</h1>
      <OnAirPlayer client={client} streamId={stream.id} muted />
      <p>{messages[0]?.text ?? ''}</p>
      <button type="button" onClick={() => void send('hello')}>
        Wave
      </button>
    </section>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <OnAirProvider client={client}>
      <Watch stream={{ id: 'str_1', title }} />
    </OnAirProvider>,
  );
}

console.log(state.status, new OnAirError('NOT_FOUND', 'missing').code, Object.keys(entries));
