import { OnAirError, type Stream } from '@onair/protocol';
import {
  assertNotRestricted,
  type GatewayContext,
  handle,
  identityOf,
  joinedStream,
  type OnAirSocket,
  requireIdentity,
  requireModerator,
  roomOf,
  takeRate,
  visibleStream,
} from '../../transport/realtime/context.js';

/** Registers reactions, Q&A, polls and the viewer list on a connection. */
export function registerInteractionHandlers(
  ctx: GatewayContext,
  socket: OnAirSocket,
  emotesOf: (channelId: string) => Promise<ReadonlySet<string>>,
): void {
  const { deps, batcher } = ctx;
  const { questions, polls, state, rates } = deps;

  // ---------------------------------------------------------------- reactions
  handle(socket, 'reaction:send', async ({ streamId, emoji, x }) => {
    const stream = await joinedStream(ctx, socket, streamId);
    if (!stream.reactionsEnabled) {
      throw new OnAirError('FORBIDDEN', 'Reactions are turned off for this stream');
    }
    if (stream.status !== 'live') throw new OnAirError('STREAM_NOT_LIVE', 'The stream is not live');
    const who = identityOf(socket);
    if (who) await assertNotRestricted(ctx, stream, who);
    if (emoji.startsWith(':') && !(await emotesOf(stream.owner.id)).has(emoji.slice(1, -1))) {
      throw new OnAirError('VALIDATION_FAILED', `Unknown emote ${emoji}`);
    }
    await takeRate(
      ctx,
      `react:${streamId}:${who?.userId ?? socket.id}`,
      rates.reactions,
      'You are sending reactions too fast',
    );
    batcher.react(roomOf(streamId), emoji, x);
    return {};
  });

  handle(socket, 'reaction:stats', async ({ streamId }) => {
    await requireModerator(ctx, socket, streamId);
    return deps.reactions.stats(streamId);
  });

  handle(socket, 'stream:healthHistory', async ({ streamId }) => {
    await requireModerator(ctx, socket, streamId);
    return { reports: await deps.health.recent(streamId) };
  });

  // ---------------------------------------------------------------------- Q&A
  const qnaStream = async (streamId: string): Promise<Stream> => {
    const stream = await joinedStream(ctx, socket, streamId);
    if (!stream.qnaEnabled) throw new OnAirError('FORBIDDEN', 'Q&A is turned off for this stream');
    return stream;
  };
  const question = async (streamId: string, questionId: string) => {
    const found = await questions.find(streamId, questionId);
    if (!found || found.hidden) throw new OnAirError('NOT_FOUND', 'Question not found');
    return found;
  };
  const announce = (q: Awaited<ReturnType<typeof question>>) =>
    batcher.emit(roomOf(q.streamId), 'qna:question', q, `q:${q.id}`);

  handle(socket, 'qna:ask', async ({ streamId, text }) => {
    const who = requireIdentity(socket, 'ask a question');
    const stream = await qnaStream(streamId);
    await assertNotRestricted(ctx, stream, who);
    await takeRate(
      ctx,
      `qna:${streamId}:${who.userId}`,
      rates.questions,
      'You are asking too fast',
    );
    const asked = await questions.ask(
      streamId,
      { id: who.userId, displayName: who.displayName },
      await deps.filter.apply({
        streamId,
        author: { id: who.userId, displayName: who.displayName },
        text,
      }),
    );
    announce(asked);
    return asked;
  });

  handle(socket, 'qna:upvote', async ({ streamId, questionId }) => {
    const who = requireIdentity(socket, 'upvote');
    await qnaStream(streamId);
    await question(streamId, questionId);
    if (!(await questions.upvote(questionId, who.userId))) {
      throw new OnAirError('CONFLICT', 'You already upvoted this question');
    }
    const updated = await question(streamId, questionId);
    announce(updated);
    return updated;
  });

  handle(socket, 'qna:answer', async ({ streamId, questionId, answered }) => {
    await requireModerator(ctx, socket, streamId);
    await question(streamId, questionId);
    await questions.mark(questionId, { answered });
    const updated = await question(streamId, questionId);
    announce(updated);
    return updated;
  });

  handle(socket, 'qna:hide', async ({ streamId, questionId }) => {
    await requireModerator(ctx, socket, streamId);
    const found = await question(streamId, questionId);
    await questions.mark(questionId, { hidden: true });
    announce({ ...found, hidden: true });
    return {};
  });

  handle(socket, 'qna:list', async ({ streamId, sort }) => {
    await visibleStream(ctx, socket, streamId);
    const items = await questions.list(streamId, sort);
    const who = identityOf(socket);
    return {
      items,
      myUpvotes: who
        ? await questions.upvotedBy(
            who.userId,
            items.map((q) => q.id),
          )
        : [],
    };
  });

  // -------------------------------------------------------------------- polls
  const poll = async (streamId: string, pollId: string) => {
    const found = await polls.find(streamId, pollId);
    if (!found) throw new OnAirError('NOT_FOUND', 'Poll not found');
    return found;
  };
  const announcePoll = (p: Awaited<ReturnType<typeof poll>>) =>
    batcher.emit(roomOf(p.streamId), 'poll:updated', p, `poll:${p.id}`);

  handle(socket, 'poll:create', async ({ streamId, question: text, options }) => {
    const { who, stream } = await requireModerator(ctx, socket, streamId);
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('STREAM_NOT_LIVE', `The stream is ${stream.status}`);
    }
    const previous = (await polls.list(streamId)).find((p) => !p.closed);
    const created = await polls.create(streamId, who.userId, text, options);
    if (previous) announcePoll({ ...previous, closed: true });
    announcePoll(created);
    return created;
  });

  handle(socket, 'poll:vote', async ({ streamId, pollId, option }) => {
    const who = requireIdentity(socket, 'vote');
    const stream = await joinedStream(ctx, socket, streamId);
    await assertNotRestricted(ctx, stream, who, 'ban');
    const found = await poll(streamId, pollId);
    if (found.closed) throw new OnAirError('CONFLICT', 'This poll is closed');
    if (option >= found.options.length) {
      throw new OnAirError('VALIDATION_FAILED', `This poll has ${found.options.length} options`);
    }
    if (!(await polls.vote(pollId, who.userId, option))) {
      throw new OnAirError('CONFLICT', 'You already voted in this poll');
    }
    const updated = await poll(streamId, pollId);
    announcePoll(updated);
    return updated;
  });

  handle(socket, 'poll:close', async ({ streamId, pollId }) => {
    await requireModerator(ctx, socket, streamId);
    await poll(streamId, pollId);
    await polls.close(pollId);
    const updated = await poll(streamId, pollId);
    announcePoll(updated);
    return updated;
  });

  handle(socket, 'poll:list', async ({ streamId }) => {
    await visibleStream(ctx, socket, streamId);
    const items = await polls.list(streamId);
    const who = identityOf(socket);
    return {
      items,
      myVotes: who
        ? await polls.votesOf(
            who.userId,
            items.map((p) => p.id),
          )
        : {},
    };
  });

  // ----------------------------------------------------------------- presence
  handle(socket, 'presence:list', async ({ streamId }) => {
    await requireModerator(ctx, socket, streamId);
    return state.list(streamId);
  });
}
