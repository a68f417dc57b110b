import { handle, requireIdentity } from '../../transport/realtime/request.js';
import type { RoomEvents } from '../../transport/realtime/room-events.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import type { StreamAccess } from '../streams/access.js';
import type { ChatService } from './service.js';

/** What the chat handlers need. */
export interface ChatHandlerDeps {
  chat: ChatService;
  access: StreamAccess;
  events: RoomEvents;
}

/** Registers the chat requests on a connection: send, history, delete, pin. */
export function registerChatHandlers(socket: OnAirSocket, deps: ChatHandlerDeps): void {
  const { chat, access, events } = deps;

  handle(socket, 'chat:send', async ({ streamId, text }) => {
    const who = requireIdentity(socket, 'chat');
    const stream = await access.joined(socket, streamId);
    const message = await chat.send(stream, who, text);
    events.toStream(streamId, 'chat:message', message);
    return message;
  });

  handle(socket, 'chat:history', async ({ streamId, before, limit }) => {
    await access.audience(socket, streamId);
    return chat.history(streamId, limit, before);
  });

  handle(socket, 'chat:delete', async ({ streamId, messageId }) => {
    const { who } = await access.moderated(socket, streamId);
    const { wasPinned } = await chat.delete(streamId, messageId, who);
    events.toStream(streamId, 'chat:deleted', { streamId, messageId });
    if (wasPinned) events.toStream(streamId, 'chat:pinned', { streamId, message: null });
    return {};
  });

  handle(socket, 'chat:pin', async ({ streamId, messageId }) => {
    await access.moderated(socket, streamId);
    const message = await chat.pin(streamId, messageId);
    events.toStream(streamId, 'chat:pinned', { streamId, message });
    return {};
  });
}
