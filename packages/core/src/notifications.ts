/**
 * `@onair/core/notifications`: the signed-in user's notifications kept live
 * ({@link NotificationStore}, for a bell) over `client.notifications` (the
 * inbox, follow levels, "remind me", a channel's followers), and Web Push to
 * this browser ({@link enablePush}, {@link disablePush}). Its own entry:
 * apps without a bell load none of it.
 *
 * @example
 * ```ts
 * import { NotificationStore } from '@onair/core/notifications';
 * const inbox = new NotificationStore(client);
 * inbox.subscribe(({ unread, items }) => renderBell(unread, items));
 * await client.notifications.setReminder(streamId, true);
 * ```
 * @packageDocumentation
 */
import type { Notification } from '@onair/protocol';
import type { PushKey } from '@onair/protocol/notifications';
import { OnAirError } from './errors.js';
import { Subscribable } from './subscribable.js';
import type { OnAirClient } from './transport/client.js';

/** Snapshot of a {@link NotificationStore}. */
export interface NotificationState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Newest first: the pages loaded, and every notification pushed since. */
  items: readonly Notification[];
  /** Unread notifications in all (not only those loaded). */
  unread: number;
  /** Whether older notifications remain to load ({@link NotificationStore.more}). */
  hasMore: boolean;
  error: OnAirError | null;
}

const INITIAL: NotificationState = {
  status: 'idle',
  items: [],
  unread: 0,
  hasMore: false,
  error: null,
};

/**
 * The signed-in user's notifications, live: the first page loads with the
 * first listener, new ones arrive over realtime (`notification:new`) and the
 * list loads again after a reconnection that may have missed some. Marking
 * read is optimistic.
 */
export class NotificationStore extends Subscribable<NotificationState> {
  protected snapshot = INITIAL;
  #cursor: string | null = null;
  #offs: Array<() => void> = [];
  #generation = 0;

  readonly #client: OnAirClient;

  constructor(client: OnAirClient) {
    super();
    this.#client = client;
  }

  protected override onSubscribe(): void {
    this.#offs = [
      this.#client.notifications.onNew((notification) => this.#add(notification)),
      this.#client.realtime.onReconnect(() => void this.load()),
    ];
    void this.load();
  }

  protected override onUnsubscribe(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
    this.#generation++;
  }

  #add(notification: Notification): void {
    const { items, unread } = this.snapshot;
    if (items.some((n) => n.id === notification.id)) return;
    this.update({ items: [notification, ...items], unread: unread + 1 });
  }

  /** Loads the newest page again (the store does on its own). */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    if (this.snapshot.status !== 'ready') this.update({ status: 'loading' });
    try {
      const page = await this.#client.notifications.list();
      if (generation !== this.#generation) return;
      this.#cursor = page.nextCursor;
      this.update({
        status: 'ready',
        items: page.items,
        unread: page.unread,
        hasMore: page.nextCursor !== null,
        error: null,
      });
    } catch (error) {
      if (generation === this.#generation) {
        this.update({ status: 'error', error: OnAirError.from(error) });
      }
    }
  }

  /** Loads the next older page. */
  async more(): Promise<void> {
    const cursor = this.#cursor;
    if (!cursor) return;
    const page = await this.#client.notifications.list(undefined, cursor);
    this.#cursor = page.nextCursor;
    // Older than every item loaded (the cursor's), so none is there twice.
    this.update({
      items: [...this.snapshot.items, ...page.items],
      unread: page.unread,
      hasMore: page.nextCursor !== null,
    });
  }

  /** Marks some notifications read, or all of them without `ids`. */
  async markRead(ids?: readonly string[]): Promise<void> {
    // A page still loading was read before this: it must not bring the marks back.
    this.#generation++;
    const before = this.snapshot;
    const marked = ids ? new Set(ids) : undefined;
    let newlyRead = 0;
    const items = before.items.map((n) => {
      if (n.read || (marked && !marked.has(n.id))) return n;
      newlyRead++;
      return { ...n, read: true };
    });
    this.update({ items, unread: ids ? Math.max(0, before.unread - newlyRead) : 0 });
    try {
      this.update({ unread: await this.#client.notifications.markRead(ids) });
    } catch (error) {
      this.update({ items: before.items, unread: before.unread });
      throw OnAirError.from(error);
    }
  }
}

/**
 * The key in `GET /v1/push/key`'s body ({@link PushKey}), checked by hand: its
 * schema's module would bring every notification schema into each bundle with
 * a bell. A body without one is `INTERNAL`, as `client.request` has it.
 */
function pushKey(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: no key, below.
  }
  const key = (parsed as Partial<PushKey> | null | undefined)?.publicKey;
  if (typeof key !== 'string') {
    throw new OnAirError('INTERNAL', 'Unexpected response from /v1/push/key');
  }
  return key;
}

/** `applicationServerKey` bytes of a base64url VAPID key. */
function keyBytes(key: string): Uint8Array<ArrayBuffer> {
  const text = atob(
    key
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(key.length / 4) * 4, '='),
  );
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * Turns on Web Push of the signed-in user's notifications in this browser:
 * subscribes `registration`'s push manager with the server's VAPID key and
 * stores the subscription for the user. Your service worker shows each push
 * (its data is a `Notification` as JSON; docs/notifications.md). Ask for
 * `Notification.requestPermission()` first, from a click. Rejects with
 * `NOT_FOUND` when the server does not push, `NOT_SUPPORTED` without a push
 * manager, and the browser's own error when permission is refused.
 *
 * @example
 * ```ts
 * const registration = await navigator.serviceWorker.register('/sw.js');
 * if ((await Notification.requestPermission()) === 'granted') await enablePush(client, registration);
 * ```
 */
export async function enablePush(
  client: OnAirClient,
  registration: ServiceWorkerRegistration,
): Promise<PushSubscription> {
  if (!registration.pushManager) {
    throw new OnAirError('NOT_SUPPORTED', 'This browser has no Web Push');
  }
  const publicKey = pushKey((await client.requestText('/v1/push/key')).text);
  const existing = await registration.pushManager.getSubscription();
  const subscription =
    existing ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(publicKey),
    }));
  try {
    await client.requestText('/v1/me/push-subscriptions', {
      method: 'PUT',
      body: subscription.toJSON(),
    });
  } catch (error) {
    // Refused: a subscription made here goes too, or the browser would hold one the server
    // never pushes to (and a later getSubscription() would call it on).
    if (!existing) await subscription.unsubscribe().catch(() => false);
    throw error;
  }
  return subscription;
}

/** Turns Web Push off in this browser: the server forgets the subscription, the browser drops it. */
export async function disablePush(
  client: OnAirClient,
  registration: ServiceWorkerRegistration,
): Promise<void> {
  const subscription = await registration.pushManager?.getSubscription();
  if (!subscription) return;
  await client.requestText('/v1/me/push-subscriptions', {
    method: 'DELETE',
    body: { endpoint: subscription.endpoint },
  });
  await subscription.unsubscribe();
}
