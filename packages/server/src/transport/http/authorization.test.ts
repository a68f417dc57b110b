import { CreatedStreamSchema, type Role } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * Every privileged action against every kind of caller. Each cell runs on a
 * fresh stream so earlier cells cannot change the outcome.
 */
type Actor =
  | 'anonymous'
  | 'viewer'
  | 'otherBroadcaster'
  | 'moderatorOfAnotherChannel'
  | 'moderatorOfThisChannel'
  | 'owner'
  | 'admin';
const ACTORS: Actor[] = [
  'anonymous',
  'viewer',
  'otherBroadcaster',
  'moderatorOfAnotherChannel',
  'moderatorOfThisChannel',
  'owner',
  'admin',
];

interface Action {
  name: string;
  /** Put the stream in the state the action needs. */
  prepare?: 'live';
  method: string;
  path: (id: string) => string;
  body?: unknown;
  /** Who succeeds; everyone else gets 401 (anonymous) or 403. */
  allowed: Actor[];
}

const MANAGERS: Actor[] = ['owner', 'admin'];
const ACTIONS: Action[] = [
  {
    name: 'edit title',
    method: 'PATCH',
    path: (id) => `/v1/streams/${id}`,
    body: { title: 'Renamed' },
    allowed: ['moderatorOfThisChannel', ...MANAGERS],
  },
  {
    name: 'edit chat settings',
    method: 'PATCH',
    path: (id) => `/v1/streams/${id}`,
    body: { chat: { slowModeSeconds: 30 } },
    allowed: ['moderatorOfThisChannel', ...MANAGERS],
  },
  {
    name: 'change privacy',
    method: 'PATCH',
    path: (id) => `/v1/streams/${id}`,
    body: { privacy: 'unlisted' },
    allowed: MANAGERS,
  },
  { name: 'start', method: 'POST', path: (id) => `/v1/streams/${id}/start`, allowed: MANAGERS },
  {
    name: 'end',
    prepare: 'live',
    method: 'POST',
    path: (id) => `/v1/streams/${id}/end`,
    allowed: MANAGERS,
  },
  { name: 'cancel', method: 'POST', path: (id) => `/v1/streams/${id}/cancel`, allowed: MANAGERS },
  { name: 'rotate key', method: 'POST', path: (id) => `/v1/streams/${id}/key`, allowed: MANAGERS },
  {
    name: 'read invites',
    method: 'GET',
    path: (id) => `/v1/streams/${id}/invites`,
    allowed: MANAGERS,
  },
  {
    name: 'set invites',
    method: 'PUT',
    path: (id) => `/v1/streams/${id}/invites`,
    body: { userIds: ['usr_friend'] },
    allowed: MANAGERS,
  },
];

let server: TestServer;
const tokens = new Map<Actor, string | undefined>();
let ownerId = '';

beforeAll(async () => {
  server = await startTestServer();
  const claims: Record<Exclude<Actor, 'anonymous'>, { roles?: Role[]; moderates?: string[] }> = {
    viewer: {},
    otherBroadcaster: { roles: ['broadcaster'] },
    moderatorOfAnotherChannel: { moderates: ['usr_someone_else'] },
    moderatorOfThisChannel: {},
    owner: { roles: ['broadcaster'] },
    admin: { roles: ['admin'] },
  };
  const owner = await server.token('Owner', claims.owner);
  ownerId = owner.userId;
  claims.moderatorOfThisChannel = { moderates: [ownerId] };
  tokens.set('anonymous', undefined);
  tokens.set('owner', owner.token);
  for (const actor of ACTORS) {
    if (actor === 'anonymous' || actor === 'owner') continue;
    tokens.set(actor, (await server.token(actor, claims[actor])).token);
  }
});
afterAll(() => server?.close());

async function freshStream(prepare?: 'live'): Promise<string> {
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: tokens.get('owner') as string,
    json: { title: 'Authz' },
  });
  const { stream } = CreatedStreamSchema.parse(await created.json());
  if (prepare === 'live') {
    await server.request(`/v1/streams/${stream.id}/start`, {
      method: 'POST',
      token: tokens.get('owner') as string,
    });
  }
  return stream.id;
}

describe('authorization table', () => {
  for (const action of ACTIONS) {
    it(`${action.name}: ${action.allowed.join(', ')} only`, async () => {
      const outcome: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const actor of ACTORS) {
        const id = await freshStream(action.prepare);
        const token = tokens.get(actor);
        const response = await server.request(action.path(id), {
          method: action.method,
          ...(token ? { token } : {}),
          ...(action.body !== undefined ? { json: action.body } : {}),
        });
        outcome[actor] = response.status;
        expected[actor] = action.allowed.includes(actor) ? 200 : actor === 'anonymous' ? 401 : 403;
      }
      expect(outcome).toEqual(expected);
    });
  }

  it('private streams: only the owner, invitees and admins see them (404 for the rest)', async () => {
    const id = await freshStream();
    const invited = await server.token('Invited');
    await server.request(`/v1/streams/${id}`, {
      method: 'PATCH',
      token: tokens.get('owner') as string,
      json: { privacy: 'private' },
    });
    await server.request(`/v1/streams/${id}/invites`, {
      method: 'PUT',
      token: tokens.get('owner') as string,
      json: { userIds: [invited.userId] },
    });
    const seen: Record<string, number> = {};
    for (const actor of ACTORS) {
      const token = tokens.get(actor);
      seen[actor] = (await server.request(`/v1/streams/${id}`, token ? { token } : {})).status;
    }
    seen.invited = (await server.request(`/v1/streams/${id}`, { token: invited.token })).status;
    expect(seen).toEqual({
      anonymous: 404,
      viewer: 404,
      otherBroadcaster: 404,
      moderatorOfAnotherChannel: 404,
      moderatorOfThisChannel: 404,
      owner: 200,
      admin: 200,
      invited: 200,
    });
    // Privileged actions on a stream one cannot see are 404 too, not 403.
    const start = await server.request(`/v1/streams/${id}/start`, {
      method: 'POST',
      token: tokens.get('viewer') as string,
    });
    expect(start.status).toBe(404);
  });
});
