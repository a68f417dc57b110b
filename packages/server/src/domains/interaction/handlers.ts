import type { Poll, Question } from '@onair/protocol';
import { handle, identityOf, requireIdentity } from '../../transport/realtime/request.js';
import type { RoomEvents } from '../../transport/realtime/room-events.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import type { StreamAccess } from '../streams/access.js';
import type { PollService } from './poll-service.js';
import type { QuestionService } from './question-service.js';
import type { ReactionService } from './reaction-service.js';

/** What the interaction handlers need. */
export interface InteractionHandlerDeps {
  reactions: ReactionService;
  questions: QuestionService;
  polls: PollService;
  access: StreamAccess;
  events: RoomEvents;
}

/** Registers reactions, Q&A and polls on a connection. */
export function registerInteractionHandlers(
  socket: OnAirSocket,
  deps: InteractionHandlerDeps,
): void {
  const { reactions, questions, polls, access, events } = deps;
  // A question's or a poll's latest state replaces an earlier one queued in the same batch.
  const announce = (q: Question) => events.toStream(q.streamId, 'qna:question', q, `q:${q.id}`);
  const announcePoll = (p: Poll) => events.toStream(p.streamId, 'poll:updated', p, `poll:${p.id}`);

  handle(socket, 'reaction:send', async ({ streamId, emoji, x }) => {
    const stream = await access.joined(socket, streamId);
    const who = identityOf(socket);
    // An anonymous viewer's allowance follows its address: a reconnect does not refill it.
    const caller = who ? `user:${who.userId}` : `address:${socket.data.address}`;
    await reactions.accept(stream, emoji, who, caller);
    events.react(streamId, emoji, x);
    return {};
  });

  handle(socket, 'reaction:stats', async ({ streamId }) => {
    await access.moderated(socket, streamId);
    return reactions.stats(streamId);
  });

  handle(socket, 'qna:ask', async ({ streamId, text }) => {
    const who = requireIdentity(socket, 'ask a question');
    const asked = await questions.ask(await access.joined(socket, streamId), who, text);
    announce(asked);
    return asked;
  });

  handle(socket, 'qna:upvote', async ({ streamId, questionId }) => {
    const who = requireIdentity(socket, 'upvote');
    const updated = await questions.upvote(await access.joined(socket, streamId), questionId, who);
    announce(updated);
    return updated;
  });

  handle(socket, 'qna:answer', async ({ streamId, questionId, answered, text }) => {
    const { who } = await access.moderated(socket, streamId);
    const updated = await questions.answer(streamId, questionId, who, answered, text);
    announce(updated);
    return updated;
  });

  handle(socket, 'qna:answering', async ({ streamId, questionId }) => {
    await access.moderated(socket, streamId);
    for (const changed of await questions.answering(streamId, questionId)) announce(changed);
    return {};
  });

  handle(socket, 'qna:hide', async ({ streamId, questionId }) => {
    await access.moderated(socket, streamId);
    announce(await questions.hide(streamId, questionId));
    return {};
  });

  handle(socket, 'qna:list', async ({ streamId, sort }) => {
    await access.audience(socket, streamId);
    return questions.list(streamId, sort, identityOf(socket));
  });

  handle(socket, 'poll:create', async ({ streamId, question, options }) => {
    const { who, stream } = await access.moderated(socket, streamId);
    const { created, closed } = await polls.create(stream, who, question, options);
    if (closed) announcePoll(closed);
    announcePoll(created);
    return created;
  });

  handle(socket, 'poll:vote', async ({ streamId, pollId, option }) => {
    const who = requireIdentity(socket, 'vote');
    const updated = await polls.vote(await access.joined(socket, streamId), pollId, option, who);
    announcePoll(updated);
    return updated;
  });

  handle(socket, 'poll:close', async ({ streamId, pollId }) => {
    await access.moderated(socket, streamId);
    const updated = await polls.close(streamId, pollId);
    announcePoll(updated);
    return updated;
  });

  handle(socket, 'poll:list', async ({ streamId }) => {
    await access.audience(socket, streamId);
    return polls.list(streamId, identityOf(socket));
  });
}
