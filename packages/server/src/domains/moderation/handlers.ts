import { OnAirError } from '@onair/protocol';
import { handle } from '../../transport/realtime/request.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import { COMMANDS, type ModerationDeps, restrictUser } from './commands.js';

/** Registers chat commands, timeouts and bans on a connection. */
export function registerModerationHandlers(socket: OnAirSocket, deps: ModerationDeps): void {
  const { access, moderation } = deps;

  handle(socket, 'moderation:command', async ({ streamId, command }) => {
    const [name = '', ...args] = command.slice(1).split(/\s+/);
    const run = COMMANDS[name.toLowerCase()];
    if (!run || !Object.hasOwn(COMMANDS, name.toLowerCase())) {
      throw new OnAirError('VALIDATION_FAILED', `Unknown command /${name}`, {
        commands: Object.keys(COMMANDS),
      });
    }
    const { who, stream } = await access.moderated(socket, streamId);
    return { notice: await run(args, { stream, who, deps }) };
  });

  handle(socket, 'moderation:timeout', async ({ streamId, userId, seconds }) => {
    const { who, stream } = await access.moderated(socket, streamId);
    await restrictUser(deps, stream, who, userId, { kind: 'timeout', seconds });
    return {};
  });

  handle(socket, 'moderation:ban', async ({ streamId, userId, reason }) => {
    const { who, stream } = await access.moderated(socket, streamId);
    await restrictUser(deps, stream, who, userId, { kind: 'ban' }, reason);
    return {};
  });

  handle(socket, 'moderation:unban', async ({ streamId, userId }) => {
    const { stream } = await access.moderated(socket, streamId);
    if (!(await moderation.lift(stream.owner.id, userId))) {
      throw new OnAirError('NOT_FOUND', 'That user is not banned or timed out');
    }
    return {};
  });
}
