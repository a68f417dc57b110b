import { OnAirClient } from '@onair/core';
import { enablePush } from '@onair/core/notifications';
import { act } from 'react';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import {
  OnAirFollowButton,
  OnAirFollowers,
  OnAirNotifications,
  type UseFollowersResult,
  type UseNotificationsResult,
  type UseNotifyLevelResult,
  type UsePushResult,
  type UseReminderResult,
  useFollowers,
  useNotifications,
  useNotifyLevel,
  usePush,
  useReminder,
} from './notifications.js';
import { OnAirRemindButton } from './remind-button.js';
import { cleanUpAfterEach, render, rerender, signedIn } from './test-support.js';

// Provided by the browser project's global setup (scripts/browser-test-server.ts, which
// declares them too; that file is not part of this package's type check).
declare module 'vitest' {
  export interface ProvidedContext {
    /** The server's VAPID public key, base64url. */
    vapidPublicKey: string;
    /** The loopback push service: `<url><name>` is an endpoint; GET it for what it received. */
    pushServiceUrl: string;
  }
}

cleanUpAfterEach();
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  renders.length = 0;
});

const seen: {
  inbox?: UseNotificationsResult;
  reminder?: UseReminderResult;
  level?: UseNotifyLevelResult;
} = {};

function Panel({ streamId, channelId }: { streamId: string; channelId: string }) {
  seen.inbox = useNotifications();
  seen.reminder = useReminder(streamId);
  seen.level = useNotifyLevel(channelId);
  return <span data-unread={seen.inbox.unread} />;
}

describe('notification hooks', () => {
  it('remind me, a follower’s level and the inbox against the real server', async () => {
    const host = await signedIn('Hooks channel');
    const fan = await signedIn('Hooks fan');
    const { stream } = await host.client.streams.create({
      title: 'Soon on air',
      scheduledAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
    });
    await fan.client.channels.setFollowing(host.userId, true);
    const reminderChanges: boolean[] = [];
    const container = render(
      <>
        <Panel streamId={stream.id} channelId={host.userId} />
        <OnAirNotifications />
        <OnAirFollowButton channelId={host.userId} />
        <OnAirRemindButton
          stream={stream}
          onReminderChange={(event) => reminderChanges.push(event.detail.reminded)}
        />
      </>,
      fan.client,
    );
    await expect.poll(() => seen.inbox?.status, { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => seen.reminder?.reminded).toBe(false);
    await expect.poll(() => seen.level?.level).toBe('live');
    const remindButton = () =>
      container
        .querySelector('onair-remind-button')
        ?.shadowRoot?.querySelector<HTMLButtonElement>('[part="button"]');
    await expect.poll(() => remindButton()?.getAttribute('aria-pressed')).toBe('false');
    remindButton()?.click();
    await expect.poll(() => reminderChanges).toEqual([true]);
    expect(remindButton()?.getAttribute('aria-pressed')).toBe('true');

    await act(async () => {
      await seen.reminder?.setReminded(true);
      await seen.level?.setLevel('none');
    });
    expect(seen.reminder?.reminded).toBe(true);
    expect(seen.level?.level).toBe('none');

    // Level "none": the go-live reaches the fan as one who asked to be reminded.
    await host.client.streams.start(stream.id);
    await expect
      .poll(() => container.querySelector('span')?.dataset.unread, { timeout: 10_000 })
      .toBe('1');
    expect(seen.inbox?.items[0]).toMatchObject({ kind: 'live', stream: { id: stream.id } });
    await expect
      .poll(() => (container.querySelector('onair-notifications') as HTMLElement).dataset.unread)
      .toBe('1');
    await act(async () => {
      await seen.inbox?.markRead();
    });
    expect(seen.inbox?.unread).toBe(0);
    const followButton = container.querySelector('onair-follow-button') as HTMLElement;
    await expect
      .poll(() => followButton.shadowRoot?.querySelector('[part="button"]')?.textContent)
      .toBe('Following · 1');
  });
});

const lists: { followers?: UseFollowersResult } = {};
/** Every render's channel and the followers it showed. */
const renders: Array<{ channelId: string; ids: string[] }> = [];

function Followers({ channelId }: { channelId: string }) {
  lists.followers = useFollowers(channelId, { pageSize: 2 });
  renders.push({ channelId, ids: lists.followers.followers.map((f) => f.user.id) });
  return null;
}

/** A channel (its owner's client) with `count` followers, who followed in this order. */
async function channelWithFollowers(name: string, count: number) {
  const owner = await signedIn(name);
  const fans: string[] = [];
  for (let i = 1; i <= count; i++) {
    const fan = await signedIn(`${name} fan ${i}`);
    await fan.client.channels.setFollowing(owner.userId, true);
    fans.push(fan.userId);
  }
  return { ...owner, fans };
}

const followerIds = () => lists.followers?.followers.map((f) => f.user.id);

describe('useFollowers', () => {
  it('shows the owner their followers page by page, each once', async () => {
    const host = await channelWithFollowers('Followed channel', 3);
    const newestFirst = [...host.fans].reverse();
    render(<Followers channelId={host.userId} />, host.client);
    await expect.poll(() => lists.followers?.loading).toBe(false);
    expect(lists.followers).toMatchObject({ hasMore: true, error: null });
    expect(followerIds()).toEqual(newestFirst.slice(0, 2));

    // Twice at once: the second waits for nothing and adds nothing.
    await act(async () => {
      await Promise.all([lists.followers?.loadMore(), lists.followers?.loadMore()]);
    });
    expect(followerIds()).toEqual(newestFirst);
    expect(lists.followers).toMatchObject({ hasMore: false, loading: false, error: null });
    await act(async () => {
      await lists.followers?.loadMore();
    });
    expect(followerIds()).toEqual(newestFirst);
    expect(lists.followers?.followers[0]?.user.displayName).toBe('Followed channel fan 3');

    await act(async () => {
      await lists.followers?.refresh();
    });
    expect(followerIds()).toEqual(newestFirst.slice(0, 2));
    expect(lists.followers?.hasMore).toBe(true);
  });

  it('draws them ready-made: <OnAirFollowers> with the provider’s client', async () => {
    const host = await channelWithFollowers('Listed channel', 3);
    render(<OnAirFollowers channelId={host.userId} pageSize={2} />, host.client);
    const list = document.querySelector('onair-followers') as HTMLElement;
    const shown = () =>
      [...(list.shadowRoot?.querySelectorAll('[part="name"]') ?? [])].map((n) => n.textContent);
    await expect.poll(shown).toEqual(['Listed channel fan 3', 'Listed channel fan 2']);
    list.shadowRoot?.querySelector<HTMLElement>('[part="more"]')?.click();
    await expect.poll(shown).toHaveLength(3);
  });

  it('gives anyone but the channel’s staff FORBIDDEN', async () => {
    const host = await channelWithFollowers('Private followers', 1);
    const stranger = await signedIn('Curious viewer');
    render(<Followers channelId={host.userId} />, stranger.client);
    await expect.poll(() => lists.followers?.error?.code).toBe('FORBIDDEN');
    expect(lists.followers).toMatchObject({ followers: [], hasMore: false, loading: false });
  });

  it('drops the old channel’s list, and its answers still on the way, for a new channelId', async () => {
    const host = await channelWithFollowers('First channel', 3);
    const other = await channelWithFollowers('Second channel', 1);
    const show = (channelId: string, client: OnAirClient) =>
      rerender(<Followers channelId={channelId} />, client);
    render(<Followers channelId={host.userId} />, host.client);
    await expect.poll(() => followerIds()?.length).toBe(2);

    // The next page of the first channel is asked for, then the channel changes.
    let more: Promise<void> | undefined;
    act(() => {
      more = lists.followers?.loadMore();
    });
    show(other.userId, host.client);
    expect(lists.followers).toMatchObject({ followers: [], loading: true, error: null });
    await act(async () => {
      await more;
    });
    await expect.poll(() => lists.followers?.error?.code).toBe('FORBIDDEN');
    expect(lists.followers?.followers).toEqual([]);

    // Back to the first: its first page again, not the pages seen before.
    show(host.userId, host.client);
    expect(lists.followers?.followers).toEqual([]);
    await expect.poll(() => lists.followers?.loading).toBe(false);
    expect(followerIds()).toEqual([host.fans[2], host.fans[1]]);

    // The other channel through its owner's client: only its follower.
    show(other.userId, other.client);
    expect(lists.followers?.followers).toEqual([]);
    await expect.poll(() => followerIds()).toEqual(other.fans);
    expect(lists.followers?.error).toBeNull();
    // Not one render showed a channel another's followers.
    const channelOf = new Map([
      ...host.fans.map((id) => [id, host.userId] as const),
      ...other.fans.map((id) => [id, other.userId] as const),
    ]);
    expect(renders.filter((r) => r.ids.some((id) => channelOf.get(id) !== r.channelId))).toEqual(
      [],
    );
  });
});

/** A recipient's own key pair and secret (RFC 8291), kept by the fake push manager to read what it gets. */
interface SubscriptionSecrets {
  privateKey: CryptoKey;
  /** The uncompressed P-256 public key, 65 bytes (`p256dh`). */
  publicKey: Uint8Array<ArrayBuffer>;
  /** 16 bytes (`auth`). */
  auth: Uint8Array<ArrayBuffer>;
}

type FakeSubscription = PushSubscription & { secrets: SubscriptionSecrets };

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const fromBase64 = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** An endpoint of the loopback push service of the browser global setup: nothing leaves the machine. */
const localEndpoint = () => `${inject('pushServiceUrl')}${crypto.randomUUID()}`;

/**
 * The browser's push service is the boundary: a registration whose push
 * manager records its calls and hands out subscriptions with real keys
 * (WebCrypto P-256) and, unless told otherwise, an endpoint on the loopback
 * push service, where the server's pushes can be read back.
 */
async function fakeRegistration(subscribed: boolean, endpointOf = localEndpoint) {
  const calls: string[] = [];
  const subscribeOptions: Array<PushSubscriptionOptionsInit | undefined> = [];
  const newSubscription = async (): Promise<FakeSubscription> => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
      'deriveBits',
    ]);
    const secrets: SubscriptionSecrets = {
      privateKey: pair.privateKey,
      publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)),
      auth: crypto.getRandomValues(new Uint8Array(16)),
    };
    const subscription = {
      endpoint: endpointOf(),
      secrets,
      toJSON: () => ({
        endpoint: subscription.endpoint,
        expirationTime: null,
        keys: { p256dh: base64url(secrets.publicKey), auth: base64url(secrets.auth) },
      }),
      unsubscribe: async () => {
        calls.push('unsubscribe');
        if (current === (subscription as unknown)) current = null;
        return true;
      },
    };
    return subscription as unknown as FakeSubscription;
  };
  let current: FakeSubscription | null = subscribed ? await newSubscription() : null;
  const registration = {
    pushManager: {
      getSubscription: async () => {
        calls.push('getSubscription');
        return current;
      },
      subscribe: async (options?: PushSubscriptionOptionsInit) => {
        calls.push('subscribe');
        subscribeOptions.push(options);
        current = await newSubscription();
        return current;
      },
    },
  } as unknown as ServiceWorkerRegistration;
  return { registration, calls, subscribeOptions, current: () => current };
}

/** What the loopback push service received for `endpoint` (scripts/browser-test-server.ts). */
interface ReceivedPush {
  authorization: string;
  contentEncoding: string;
  ttl: string;
  /** base64 */
  body: string;
}

async function pushesTo(endpoint: string): Promise<ReceivedPush[]> {
  return (await fetch(endpoint, { cache: 'no-store' })).json();
}

async function hkdf(
  salt: Uint8Array<ArrayBuffer>,
  secret: ArrayBuffer | Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
  bytes: number,
) {
  const key = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8),
  );
}

const text = (value: string) => new TextEncoder().encode(value);
const joined = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** Opens a push (RFC 8291 `aes128gcm`, one record) with its subscription's secrets: its JSON payload. */
async function openPush(push: ReceivedPush, secrets: SubscriptionSecrets): Promise<unknown> {
  const body = fromBase64(push.body);
  const salt = body.slice(0, 16);
  const keyLength = body[20] ?? 0;
  const senderKey = body.slice(21, 21 + keyLength);
  const sender = await crypto.subtle.importKey(
    'raw',
    senderKey,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const shared = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: sender },
    secrets.privateKey,
    256,
  );
  const ikm = await hkdf(
    secrets.auth,
    shared,
    joined(text('WebPush: info\0'), secrets.publicKey, senderKey),
    32,
  );
  const cek = await hkdf(salt, ikm, text('Content-Encoding: aes128gcm\0'), 16);
  const nonce = await hkdf(salt, ikm, text('Content-Encoding: nonce\0'), 12);
  const aes = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const plain = new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce }, aes, body.slice(21 + keyLength)),
  );
  // The last record: the payload, its delimiter (2), then zero padding.
  let end = plain.length - 1;
  while (end > 0 && plain[end] === 0) end--;
  expect(plain[end]).toBe(2);
  return JSON.parse(new TextDecoder().decode(plain.slice(0, end)));
}

/** A channel going live with a new stream: its followers are notified (and pushed). */
async function goLive(host: { client: OnAirClient }, title: string) {
  const { stream } = await host.client.streams.create({ title });
  await host.client.streams.start(stream.id);
  return stream;
}

/**
 * `Notification.permission` is `initial` until the prompt is answered
 * `answer`; each prompt is noted in `calls`, to see when it came.
 */
function permission(
  initial: NotificationPermission,
  answer: NotificationPermission = 'granted',
  calls?: string[],
) {
  let current = initial;
  vi.spyOn(Notification, 'permission', 'get').mockImplementation(() => current);
  return vi.spyOn(Notification, 'requestPermission').mockImplementation(async () => {
    calls?.push('requestPermission');
    current = answer;
    return current;
  });
}

const push: { state?: UsePushResult } = {};

function PushSwitch({ registration }: { registration: ServiceWorkerRegistration | undefined }) {
  push.state = usePush(registration);
  const { subscribed, enable, disable } = push.state;
  return (
    <button type="button" onClick={() => (subscribed ? disable() : enable())}>
      {subscribed ? 'Stop notifying me' : 'Notify me'}
    </button>
  );
}

/** Rejections nobody handled since the test began (an `enable()` or `disable()` must never leave one). */
const rejections: unknown[] = [];
window.addEventListener('unhandledrejection', (event) => rejections.push(event.reason));
afterEach(() => {
  rejections.length = 0;
});
/** The rejections left once a rejection nobody handled would have been reported. */
async function unhandled() {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return rejections;
}

describe('usePush', () => {
  it('reads the subscription of each registration it is given', async () => {
    const user = await signedIn('Push reader');
    const on = await fakeRegistration(true);
    const off = await fakeRegistration(false);
    render(<PushSwitch registration={undefined} />, user.client);
    expect(push.state).toMatchObject({ supported: true, subscribed: null, pending: false });
    rerender(<PushSwitch registration={on.registration} />, user.client);
    await expect.poll(() => push.state?.subscribed).toBe(true);
    rerender(<PushSwitch registration={off.registration} />, user.client);
    // Not the previous registration's answer while this one's is on the way.
    expect(push.state?.subscribed).toBeNull();
    await expect.poll(() => push.state?.subscribed).toBe(false);
    expect([on.calls, off.calls]).toEqual([['getSubscription'], ['getSubscription']]);
  });

  it('turns on from the click: asks, subscribes with the server’s key, and the server pushes to it', async () => {
    const host = await signedIn('Pushed channel');
    const fan = await signedIn('Push fan');
    await fan.client.channels.setFollowing(host.userId, true);
    const fake = await fakeRegistration(false);
    const ask = permission('default', 'granted', fake.calls);
    const container = render(<PushSwitch registration={fake.registration} />, fan.client);
    await expect.poll(() => push.state?.subscribed).toBe(false);

    await act(async () => container.querySelector('button')?.click());
    await expect.poll(() => push.state?.subscribed).toBe(true);
    expect(push.state).toMatchObject({ error: null, pending: false });
    expect(ask).toHaveBeenCalledTimes(1);
    // The prompt first, then the push manager (the key from the server, between them).
    expect(fake.calls).toEqual([
      'getSubscription',
      'requestPermission',
      'getSubscription',
      'subscribe',
    ]);
    const vapidKey = inject('vapidPublicKey');
    expect(fake.subscribeOptions).toHaveLength(1);
    const options = fake.subscribeOptions[0];
    expect(options?.userVisibleOnly).toBe(true);
    expect(new Uint8Array(options?.applicationServerKey as ArrayBuffer)).toEqual(
      fromBase64(vapidKey),
    );
    expect(container.querySelector('button')?.textContent).toBe('Stop notifying me');

    // The server stored the subscription: the channel's go-live is pushed to it,
    // signed with the server's VAPID key, for this browser's keys alone.
    const subscription = fake.current() as FakeSubscription;
    const stream = await goLive(host, 'Pushed go-live');
    await expect.poll(() => pushesTo(subscription.endpoint), { timeout: 10_000 }).toHaveLength(1);
    const [received] = await pushesTo(subscription.endpoint);
    expect(received?.contentEncoding).toBe('aes128gcm');
    expect(received?.authorization).toMatch(
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapidKey}$`),
    );
    expect(await openPush(received as ReceivedPush, subscription.secrets)).toMatchObject({
      kind: 'live',
      stream: { id: stream.id, title: 'Pushed go-live' },
    });
    expect(await unhandled()).toEqual([]);
  });

  it('turns off: the server forgets this browser and the browser drops its subscription', async () => {
    const host = await signedIn('Unpushed channel');
    const fan = await signedIn('Push quitter');
    await fan.client.channels.setFollowing(host.userId, true);
    const fake = await fakeRegistration(false);
    const ask = permission('granted');
    const container = render(<PushSwitch registration={fake.registration} />, fan.client);
    await expect.poll(() => push.state?.subscribed).toBe(false);
    await act(async () => {
      await push.state?.enable();
    });
    expect(push.state).toMatchObject({ subscribed: true, error: null });
    const { endpoint } = fake.current() as FakeSubscription;

    await act(async () => container.querySelector('button')?.click());
    await expect.poll(() => push.state?.subscribed).toBe(false);
    expect(push.state).toMatchObject({ error: null, pending: false });
    expect(fake.calls.slice(-2)).toEqual(['getSubscription', 'unsubscribe']);
    expect(fake.current()).toBeNull();
    expect(ask).not.toHaveBeenCalled();

    // The server forgot it: the next go-live reaches the fan's inbox, not this endpoint.
    const stream = await goLive(host, 'Not pushed');
    await expect
      .poll(async () => (await fan.client.notifications.list()).items.map((n) => n.stream.id), {
        timeout: 10_000,
      })
      .toContain(stream.id);
    // The server pushes one notification after the other: once a later one reached
    // another subscriber, that go-live's push is done.
    const other = await signedIn('Other channel');
    const witness = await signedIn('Push witness');
    await witness.client.channels.setFollowing(other.userId, true);
    const witnessPush = await fakeRegistration(false);
    const witnessSubscription = await enablePush(witness.client, witnessPush.registration);
    await goLive(other, 'Witnessed go-live');
    await expect
      .poll(() => pushesTo(witnessSubscription.endpoint), { timeout: 10_000 })
      .toHaveLength(1);
    expect(await pushesTo(endpoint)).toEqual([]);
    expect(await unhandled()).toEqual([]);
  });

  it('gives the server’s refusal as a typed error, without a rejection nobody handles', async () => {
    const user = await signedIn('Push refused');
    // No push service hands out a file: endpoint; the server refuses to store it.
    const fake = await fakeRegistration(false, () => `file:///push/${crypto.randomUUID()}`);
    permission('granted');
    const container = render(<PushSwitch registration={fake.registration} />, user.client);
    await expect.poll(() => push.state?.subscribed).toBe(false);
    await act(async () => container.querySelector('button')?.click());
    await expect.poll(() => push.state?.error?.code).toBe('VALIDATION_FAILED');
    expect(push.state).toMatchObject({ subscribed: false, pending: false });
    // The subscription made for it is dropped: the browser keeps none the server does not know.
    expect(fake.calls).toEqual(['getSubscription', 'getSubscription', 'subscribe', 'unsubscribe']);
    expect(fake.current()).toBeNull();
    expect(await unhandled()).toEqual([]);
  });

  it('turning off forgets nothing in the browser when the server refuses', async () => {
    // Signed out (the session is gone): the server refuses to forget anything.
    const signedOut = new OnAirClient({ baseUrl: location.origin });
    const fake = await fakeRegistration(true);
    const subscription = fake.current();
    const container = render(<PushSwitch registration={fake.registration} />, signedOut);
    await expect.poll(() => push.state?.subscribed).toBe(true);
    await act(async () => container.querySelector('button')?.click());
    await expect.poll(() => push.state?.error?.code).toBe('UNAUTHORIZED');
    expect(push.state).toMatchObject({ subscribed: true, pending: false });
    expect(fake.calls).toEqual(['getSubscription', 'getSubscription']);
    expect(fake.current()).toBe(subscription);
    expect(await unhandled()).toEqual([]);

    // Nothing subscribed: nothing to ask the server, off at once.
    const none = await fakeRegistration(false);
    rerender(<PushSwitch registration={none.registration} />, signedOut);
    await expect.poll(() => push.state?.subscribed).toBe(false);
    await act(async () => {
      await push.state?.disable();
    });
    expect(push.state).toMatchObject({ subscribed: false, error: null, pending: false });
    expect(none.calls).toEqual(['getSubscription', 'getSubscription']);
    signedOut.destroy();
  });

  it('is PERMISSION_DENIED without a prompt when notifications are blocked, or when the prompt is refused', async () => {
    const user = await signedIn('Push blocked');
    const fake = await fakeRegistration(false);
    const ask = permission('denied', 'denied');
    const container = render(<PushSwitch registration={fake.registration} />, user.client);
    await expect.poll(() => push.state?.subscribed).toBe(false);

    // Blocked for the site: no prompt, no subscription.
    await act(async () => container.querySelector('button')?.click());
    await expect.poll(() => push.state?.error?.code).toBe('PERMISSION_DENIED');
    expect(ask).not.toHaveBeenCalled();
    expect(push.state).toMatchObject({ subscribed: false, pending: false });
    expect(fake.calls).toEqual(['getSubscription']);

    // Not answered yet, then refused at the prompt: the same, after one prompt.
    vi.restoreAllMocks();
    const refused = permission('default', 'denied');
    await act(async () => container.querySelector('button')?.click());
    await expect.poll(() => refused.mock.calls.length).toBe(1);
    expect(push.state).toMatchObject({ subscribed: false, pending: false });
    expect(push.state?.error?.code).toBe('PERMISSION_DENIED');
    expect(fake.calls).toEqual(['getSubscription']);
    expect(await unhandled()).toEqual([]);
  });

  it('is not supported without PushManager', async () => {
    const user = await signedIn('Old browser');
    vi.stubGlobal('PushManager', undefined);
    render(<PushSwitch registration={undefined} />, user.client);
    expect(push.state?.supported).toBe(false);
    await act(async () => {
      await push.state?.enable();
    });
    expect(push.state?.error?.code).toBe('NOT_SUPPORTED');
  });
});
