import { type OnAirClient, OnAirError } from '@onair/core';
import type { Stream } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { translateOwn } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import {
  REMINDER_MESSAGES,
  REMINDER_MESSAGES_ES,
  type ReminderMessageKey,
} from '../notifications/notification-messages.js';
import { remindButtonStyles } from './remind-button.styles.js';

/** The errors a viewer can act on, in their words; any other shows the server's message. */
const FRIENDLY: Partial<Record<OnAirError['code'], ReminderMessageKey>> = {
  CONFLICT: 'started',
  UNAUTHORIZED: 'signIn',
};

/** What the button knows: the reminder (null until loaded), a change on its way, the last refusal. */
interface RemindState {
  reminded: boolean | null;
  busy: boolean;
  error: OnAirError | null;
}

const UNKNOWN: RemindState = { reminded: null, busy: false, error: null };

/** The reads the page's buttons asked in this turn, by client: one request per 100 streams. */
const reads = new WeakMap<OnAirClient, { ids: string[]; answer: Promise<Set<string>> }>();

/** Whether the user is reminded of `streamId`, read with the other buttons' of this turn. */
function readReminder(client: OnAirClient, streamId: string): Promise<boolean> {
  // No stream has a malformed id (nobody is reminded of it): asked, it would fail them all.
  if (!/^[\w-]{1,64}$/.test(streamId)) return Promise.resolve(false);
  let batch = reads.get(client);
  if (!batch || batch.ids.length >= 100) {
    const ids: string[] = [];
    const answer = new Promise((next) => setTimeout(next)).then(async () => {
      if (reads.get(client)?.ids === ids) reads.delete(client);
      const items = await client.notifications.reminders(ids);
      return new Set(items.filter((item) => item.reminded).map((item) => item.streamId));
    });
    batch = { ids, answer };
    reads.set(client, batch);
  }
  if (!batch.ids.includes(streamId)) batch.ids.push(streamId);
  return batch.answer.then((reminded) => reminded.has(streamId));
}

/**
 * "Remind me" on a scheduled stream: a toggle button (`aria-pressed`) that
 * asks the server to tell the signed-in user shortly before the stream starts
 * and when it does, or stops asking. It loads whether the user is reminded
 * once it has a `client` and a stream, switches at once when clicked and
 * switches back, with the reason, when the server refuses ("This stream has
 * already started", "Sign in to get reminders"). Given the `stream` itself it
 * renders nothing unless the stream is `scheduled`; with only `stream-id` it
 * cannot know, and shows the button. Renders nothing without a `client`. The
 * host carries `data-reminded` (`true` or `false`, once known) and `data-busy`
 * while a change is on its way. The buttons of a page (a stream list's) read
 * their state together: one request per 100 streams.
 *
 * @event onair-reminder-change - The reminder was set or cleared. Detail: `{ streamId, reminded }`.
 * @csspart button - The toggle button.
 * @csspart error - Why the reminder could not be loaded or changed.
 * @cssproperty --onair-remind-accent - The button's colour.
 */
export class OnAirRemindButtonElement extends OnAirElement {
  static override styles = remindButtonStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    stream: { attribute: false },
  };

  /** The stream to be reminded of (else the id of `stream`). */
  declare streamId: string | undefined;
  /**
   * The stream, where the page has it (a stream list's item): the button
   * shows only while its `status` is `scheduled`.
   */
  declare stream: Stream | undefined;

  #state: RemindState = UNKNOWN;
  /** Which load or change may still set the state: one for an earlier stream or client may not. */
  #generation = 0;
  /** What the state is of: the client, and the stream's id while the button shows. */
  #client: OnAirClient | undefined;
  #streamId: string | undefined;

  get #targetId(): string | undefined {
    return this.streamId ?? this.stream?.id;
  }

  get #shown(): boolean {
    return (
      !!this.client && !!this.#targetId && (!this.stream || this.stream.status === 'scheduled')
    );
  }

  #text(key: ReminderMessageKey): string {
    return translateOwn(this, 'reminders', key, REMINDER_MESSAGES, REMINDER_MESSAGES_ES);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('client') && !changed.has('streamId') && !changed.has('stream')) return;
    // A stream list hands a new object with each refresh: load again only for another stream.
    const { client } = this;
    const streamId = this.#shown ? this.#targetId : undefined;
    if (client === this.#client && streamId === this.#streamId) return;
    this.#client = client;
    this.#streamId = streamId;
    const generation = ++this.#generation;
    this.#state = UNKNOWN;
    if (client && streamId) void this.#load(client, streamId, generation);
  }

  protected override updated(): void {
    const { reminded, busy } = this.#state;
    if (reminded === null) delete this.dataset.reminded;
    else this.dataset.reminded = String(reminded);
    this.toggleAttribute('data-busy', busy);
  }

  #set(generation: number, state: RemindState): void {
    if (generation !== this.#generation) return;
    this.#state = state;
    this.requestUpdate();
  }

  async #load(client: OnAirClient, streamId: string, generation: number): Promise<void> {
    try {
      const reminded = await readReminder(client, streamId);
      this.#set(generation, { reminded, busy: false, error: null });
    } catch (cause) {
      const error = OnAirError.from(cause);
      // Signed out, nobody is reminded: the button shows, and a click says to sign in.
      this.#set(
        generation,
        error.code === 'UNAUTHORIZED' ? { ...UNKNOWN, reminded: false } : { ...UNKNOWN, error },
      );
    }
  }

  async #toggle(): Promise<void> {
    const { client } = this;
    const { reminded, busy } = this.#state;
    const streamId = this.#targetId;
    if (!client || !streamId || reminded === null || busy) return;
    const generation = this.#generation;
    this.#set(generation, { reminded: !reminded, busy: true, error: null });
    try {
      const state = await client.notifications.setReminder(streamId, !reminded);
      this.#set(generation, { reminded: state.reminded, busy: false, error: null });
      if (generation === this.#generation) {
        this.emit('onair-reminder-change', { streamId, reminded: state.reminded });
      }
    } catch (cause) {
      this.#set(generation, { reminded, busy: false, error: OnAirError.from(cause) });
    }
  }

  override render() {
    const { reminded, busy, error } = this.#state;
    if (!this.#shown) return nothing;
    const alert = error
      ? html`<span part="error" role="alert">${this.#message(error)}</span>`
      : nothing;
    if (reminded === null) return alert;
    // aria-disabled, not disabled: the button keeps the focus while the change is on its way.
    return html`
      <button part="button" type="button" aria-pressed=${reminded ? 'true' : 'false'} aria-disabled=${busy ? 'true' : 'false'} @click=${this.#toggle}><span aria-hidden="true">🔔</span> ${this.#text(reminded ? 'set' : 'remind')}</button>
      ${alert}
    `;
  }

  #message(error: OnAirError): string {
    const friendly = FRIENDLY[error.code];
    return friendly ? this.#text(friendly) : error.message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-remind-button': OnAirRemindButtonElement;
  }
}

/** Registers `<onair-remind-button>`. */
export function defineRemindButton(): void {
  defineElement('onair-remind-button', OnAirRemindButtonElement);
}
