import type { OnAirClient } from '@onair/core';
import { type ReplayState, ReplayStore } from '@onair/core/replay';
import type { Chapter, Emote, ReplayMessage, ReplayQuestion } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { BADGE_SYMBOLS, badgeLabel, renderChatText } from '../chat/chat-text.js';
import { clock } from '../internal/clock.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { type ExternalStore, StoreController } from '../internal/store-controller.js';
import { chatReplayStyles } from './chat-replay.styles.js';
import { floatingReactions } from './floating-reactions.js';
import type { ReplayMessageKey } from './replay-messages.js';
import { translateReplay } from './replay-text.js';

/**
 * What `<onair-chat-replay>` needs from a replay store: a core `ReplayStore`,
 * or any object of the same shape (one shared with `useReplay`, a mock).
 */
export interface ReplayStoreLike extends ExternalStore<ReplayState> {
  /** Follows a media element's playback; returns the function that stops following it. */
  attach(media: HTMLMediaElement): () => void;
  /** Shows the state at `time` seconds of the recording. */
  seek(time: number): void;
}

/** Media events the element itself listens to: pausing stops the floating emoji, time moves them. */
const MEDIA_EVENTS = ['timeupdate', 'play', 'pause', 'seeked'] as const;
/** How often `for` is looked up again while it names nothing playable yet, ms. */
const FIND_MEDIA_MS = 250;
const NO_EMOTES: ReadonlyMap<string, Emote> = new Map();

/**
 * The `<video>` of `id`: itself, or the one in an `<onair-player>`'s shadow root. Looked up in
 * the element's document or shadow root, then in those around it (inside `<onair-chat replay>`).
 */
function findMedia(from: Element, id: string): HTMLMediaElement | undefined {
  for (let root = from.getRootNode(); ; root = (root as ShadowRoot).host.getRootNode()) {
    const target = (root as Document | ShadowRoot).getElementById?.(id);
    if (target instanceof HTMLMediaElement) return target;
    if (target?.shadowRoot)
      return target.shadowRoot.querySelector<HTMLVideoElement>('video[part="video"]') ?? undefined;
    if (!(root instanceof ShadowRoot)) return undefined;
  }
}

type Entry = { kind: 'message'; item: ReplayMessage } | { kind: 'question'; item: ReplayQuestion };

/** Messages and questions in the recording's order (each list already is). */
function timeline(
  messages: readonly ReplayMessage[],
  questions: readonly ReplayQuestion[],
): Entry[] {
  const entries: Entry[] = [];
  let q = 0;
  for (const message of messages) {
    for (; q < questions.length && (questions[q]?.offsetSeconds ?? 0) <= message.offsetSeconds; q++)
      entries.push({ kind: 'question', item: questions[q] as ReplayQuestion });
    entries.push({ kind: 'message', item: message });
  }
  for (; q < questions.length; q++)
    entries.push({ kind: 'question', item: questions[q] as ReplayQuestion });
  return entries;
}

/**
 * A recording's chat played back with it, like a chat replay: the messages,
 * questions (with their answer once playback reaches it) and reactions of
 * the stream at the moment they happened, and the chapters its owner and
 * moderators marked while live. `<onair-chat replay>` shows it in place of
 * the live chat. Give it `client` and `stream-id` (or a
 * `store`), and the media playing the recording: `for` (the id of an
 * `<onair-player>` or a `<video>`) or `media`.
 *
 * Clicking a chapter seeks the media there. The log follows the newest
 * message unless the reader scrolled up ("Jump to latest" brings it back).
 * The minute's reactions float up over the log, spread over the minute as
 * they came; with `prefers-reduced-motion`, they show as counts instead. The
 * host carries `data-status` (`idle`, `loading`, `ready`, `error`),
 * `data-count` (messages shown) and `data-paused` while the media is paused.
 *
 * @csspart header - The title and the chapter playing.
 * @csspart chapters - The chapter list (a `nav`).
 * @csspart chapter - A chapter's button (`aria-current` on the one playing).
 * @csspart messages - The log of messages and questions.
 * @csspart question - A question's card.
 * @csspart answer - A question's written answer.
 * @csspart reactions - The floating reactions over the log.
 * @csspart error - Why there is no replay ("This stream has no recording").
 * @cssproperty --onair-chat-replay-background - Background colour (inside `<onair-chat replay>`, the chat's).
 * @cssproperty --onair-chat-replay-foreground - Text colour (inside `<onair-chat replay>`, the chat's).
 * @cssproperty --onair-chat-replay-muted - Times and secondary text (inside `<onair-chat replay>`, the chat's).
 * @cssproperty --onair-chat-replay-accent - Author names, the current chapter (inside `<onair-chat replay>`, the chat's).
 * @cssproperty --onair-chat-replay-question - A question card's background.
 * @cssproperty --onair-chat-replay-error - Error colour (inside `<onair-chat replay>`, the chat's).
 * @cssproperty --onair-chat-replay-height - Height of the element (480px).
 * @cssproperty --onair-chat-replay-reaction-size - Size of a floating emoji.
 * @cssproperty --onair-chat-background - Inside `<onair-chat replay>` only: the chat's background, inherited from the chat (set it there).
 * @cssproperty --onair-chat-foreground - Inside `<onair-chat replay>` only: the chat's text colour, inherited from the chat.
 * @cssproperty --onair-chat-muted - Inside `<onair-chat replay>` only: the chat's secondary text colour, inherited from the chat.
 * @cssproperty --onair-chat-accent - Inside `<onair-chat replay>` only: the chat's author names and current chapter, inherited from the chat.
 * @cssproperty --onair-chat-error - Inside `<onair-chat replay>` only: the chat's error colour, inherited from the chat.
 */
export class OnAirChatReplayElement extends OnAirElement {
  static override styles = chatReplayStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    for: { type: String },
    media: { attribute: false },
    store: { attribute: false },
    emotes: { attribute: false },
  };

  /** The recorded stream whose chat to replay. */
  declare streamId: string | undefined;
  /**
   * Id of the `<onair-player>` or `<video>` playing the recording (in the
   * same document or shadow root); looked up again until it is there.
   */
  declare for: string | undefined;
  /** The media element playing the recording (wins over `for`). */
  declare media: HTMLMediaElement | undefined;
  /** A replay store to use instead of creating one from `client` and `stream-id`. */
  declare store: ReplayStoreLike | undefined;
  /**
   * The channel's emotes, shown as images in messages (`:code:`). Default:
   * loaded from the stream's channel through `client`.
   */
  declare emotes: readonly Emote[] | undefined;

  readonly #state = new StoreController<ReplayState, ReplayStoreLike>(this);
  /** The media followed, and the store it is attached to. */
  #media: HTMLMediaElement | undefined;
  #attachedTo: ReplayStoreLike | undefined;
  #detach: (() => void) | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Stuck to the newest entry (else the reader scrolled up). */
  #pinned = true;
  #motion: MediaQueryList | undefined;
  /** When each floating emoji started rising, as an animation delay (kept while it floats). */
  readonly #floatDelays = new Map<string, number>();
  /** The update asked for is a playback tick only (floating emoji move, the log does not). */
  #tick = false;
  /** Bumped by every update but a tick: the log renders again (new strings, a new language). */
  #logVersion = 0;
  /** The stream whose channel's emotes were asked for (and by which client), and what came. */
  #emotesOf: string | undefined;
  #emotesBy: OnAirClient | undefined;
  #loadedEmotes: readonly Emote[] | undefined;

  get #emotes(): readonly Emote[] | undefined {
    return this.emotes ?? this.#loadedEmotes;
  }

  #text(key: ReplayMessageKey, vars?: Record<string, string | number>): string {
    return translateReplay(this, key, vars);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#motion ??= globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
    if (this.hasUpdated) this.#bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#release();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.#tick) this.#logVersion++;
    this.#tick = false;
    const { client, streamId } = this;
    if (
      !this.emotes &&
      client &&
      streamId &&
      (streamId !== this.#emotesOf || client !== this.#emotesBy)
    ) {
      // Once per stream and client (not again on a failure: playback updates come many times a
      // second; a new client, signed in, asks again); an answer no longer wanted is dropped.
      this.#emotesOf = streamId;
      this.#emotesBy = client;
      this.#loadedEmotes = undefined;
      client.streams
        .get(streamId)
        .then((stream) => client.channels.get(stream.owner.id))
        .then(
          (channel) => {
            if (this.#emotesOf !== streamId || this.#emotesBy !== client) return;
            this.#loadedEmotes = channel.emotes;
            this.requestUpdate();
          },
          () => undefined,
        );
    }
    this.#state.follow(changed, this.store, () =>
      this.client && this.streamId ? new ReplayStore(this.client, this.streamId) : undefined,
    );
    if (
      changed.has('for') ||
      changed.has('media') ||
      changed.has('store') ||
      changed.has('client') ||
      changed.has('streamId')
    ) {
      this.#bind();
    }
  }

  /** Follows the media (`media`, else `for`'s), attached to the store, while connected. */
  #bind(): void {
    clearTimeout(this.#retry);
    let media = this.isConnected ? this.media : undefined;
    if (!media && this.isConnected && this.for) {
      media = findMedia(this, this.for);
      // An `<onair-player>` renders its video after it upgrades; a page may add it later.
      if (!media) this.#retry = setTimeout(() => this.#bind(), FIND_MEDIA_MS);
    }
    const store = media ? this.#state.current : undefined;
    if (media === this.#media && store === this.#attachedTo) return;
    this.#release();
    this.#media = media;
    this.#attachedTo = store;
    if (!media) return;
    for (const name of MEDIA_EVENTS) media.addEventListener(name, this.#onMedia);
    this.#onMedia();
    if (store) this.#detach = store.attach(media);
  }

  #release(): void {
    clearTimeout(this.#retry);
    this.#detach?.();
    this.#detach = undefined;
    if (this.#media) {
      for (const name of MEDIA_EVENTS) this.#media.removeEventListener(name, this.#onMedia);
    }
    this.#media = undefined;
    this.#attachedTo = undefined;
    this.removeAttribute('data-paused');
  }

  /** Bound once: runs at every `timeupdate`, so it only re-renders while emoji float. */
  readonly #onMedia = (): void => {
    const media = this.#media;
    if (!media) return;
    if (this.hasAttribute('data-paused') !== media.paused) {
      this.toggleAttribute('data-paused', media.paused);
    }
    if (this.#state.value?.reactions.length && !this.#motion?.matches) {
      this.#tick = !this.isUpdatePending;
      this.requestUpdate();
    }
  };

  /** Seeks the media (the store follows it), or the store alone without media. */
  #seekTo(chapter: Chapter): void {
    if (chapter.offsetSeconds === null) return;
    if (this.#media) this.#media.currentTime = chapter.offsetSeconds;
    this.#state.current?.seek(chapter.offsetSeconds);
  }

  protected override updated(): void {
    const s = this.#state.value;
    this.dataset.status = s?.status ?? 'idle';
    this.dataset.count = String(s?.messages.length ?? 0);
    const list = this.renderRoot.querySelector<HTMLElement>('[part="messages"]');
    if (list && this.#pinned) list.scrollTop = list.scrollHeight;
  }

  #onScroll(event: Event): void {
    const list = event.currentTarget as HTMLElement;
    const pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (pinned === this.#pinned) return;
    this.#pinned = pinned;
    this.requestUpdate();
  }

  #jumpToLatest(): void {
    this.#pinned = true;
    this.requestUpdate();
  }

  override render() {
    const s = this.#state.value;
    const notLive = s?.error?.code === 'STREAM_NOT_LIVE';
    return html`
      <header role="none" part="header">
        <span>${this.#text('title')}</span>
        ${s?.chapter ? html`<span class="current">${s.chapter.title}</span>` : nothing}
      </header>
      ${this.#renderChapters(s)}
      ${
        s?.status === 'error' && s.error
          ? html`<p part="error" role="alert" data-code=${s.error.code}>${notLive ? this.#text('noRecording') : s.error.message}</p>`
          : nothing
      }
      ${notLive ? nothing : this.#renderLog(s)}
    `;
  }

  #renderChapters(s: ReplayState | undefined) {
    const chapters = s?.chapters.filter((c) => c.offsetSeconds !== null) ?? [];
    if (chapters.length === 0) return nothing;
    return html`<nav part="chapters" aria-label=${this.#text('chapters')}><ol>${repeat(
      chapters,
      (c) => c.id,
      (c) =>
        html`<li><button part="chapter" type="button" data-id=${c.id} aria-current=${s?.chapter?.id === c.id ? 'true' : nothing} @click=${() => this.#seekTo(c)}><time>${clock(c.offsetSeconds ?? 0)}</time>${c.title}</button></li>`,
    )}</ol></nav>`;
  }

  #renderLog(s: ReplayState | undefined) {
    const status = s?.status ?? 'idle';
    const { messages = [], questions = [] } = s ?? {};
    return html`<div class="log">
      <ol part="messages" aria-live="polite" aria-label=${this.#text('title')} tabindex="0" @scroll=${this.#onScroll}>
        ${guard([messages, questions, status, this.#emotes, this.#logVersion], () => this.#renderEntries(timeline(messages, questions), status))}
      </ol>
      ${this.#renderFloats(s)}
      ${this.#pinned ? nothing : html`<button class="jump" type="button" @click=${this.#jumpToLatest}>${this.#text('jumpToLatest')}</button>`}
    </div>
    ${this.#renderCounts(s)}`;
  }

  #renderEntries(entries: readonly Entry[], status: ReplayState['status']) {
    if (entries.length === 0) {
      return status === 'error'
        ? nothing
        : html`<li class=${status === 'ready' ? 'empty' : 'loading'}>${this.#text(status === 'ready' ? 'empty' : 'loading')}</li>`;
    }
    const given = this.#emotes;
    const emotes = given ? new Map(given.map((e) => [e.code, e])) : NO_EMOTES;
    return repeat(
      entries,
      (e) => `${e.kind}:${e.item.id}`,
      (e) =>
        e.kind === 'message' ? this.#renderMessage(e.item, emotes) : this.#renderQuestion(e.item),
    );
  }

  #renderMessage(m: ReplayMessage, emotes: ReadonlyMap<string, Emote>) {
    return html`<li data-id=${m.id}>
      <time>${clock(m.offsetSeconds)}</time>${m.author.badges.map((badge) => {
        const label = badgeLabel((key, vars) => this.t(key, vars), badge);
        return html`<span class="badge" data-badge=${badge} title=${label} aria-label=${label}>${BADGE_SYMBOLS[badge]}</span>`;
      })}<span class="author">${m.author.displayName}</span><span class="text">${renderChatText(m.text, emotes, undefined)}</span>
    </li>`;
  }

  #renderQuestion(q: ReplayQuestion) {
    return html`<li part="question" data-id=${q.id} ?data-answered=${q.answered}>
      <strong>${this.#text('question')}${q.answered ? html`<span class="state">· ${this.#text('answered')}</span>` : nothing}</strong>
      <time>${clock(q.offsetSeconds)}</time><span class="author">${q.author.displayName}</span><span class="text">${q.text}</span>
      ${q.answer?.text ? html`<p part="answer"><b>${q.answer.by.displayName}</b> ${q.answer.text}</p>` : nothing}
    </li>`;
  }

  /** The minute's reactions rising over the log (not with `prefers-reduced-motion`). */
  #renderFloats(s: ReplayState | undefined) {
    const reactions = s?.reactions ?? [];
    const floats =
      reactions.length === 0 || this.#motion?.matches
        ? []
        : floatingReactions(reactions, s?.time ?? 0, this.#floatDelays);
    if (floats.length === 0) {
      this.#floatDelays.clear();
      return nothing;
    }
    return html`<div part="reactions" aria-hidden="true">${repeat(
      floats,
      (f) => f.key,
      (f) =>
        html`<span class="float" style="left:${f.left}%;animation-delay:${f.delay}s">${f.emoji}${f.every > 1 ? html`<small>×${f.every}</small>` : nothing}</span>`,
    )}</div>`;
  }

  /** The minute's counts: what shows with `prefers-reduced-motion`, and what screen readers read. */
  #renderCounts(s: ReplayState | undefined) {
    const reactions = s?.reactions ?? [];
    if (reactions.length === 0) return nothing;
    return html`<ul class="counts" aria-label=${this.#text('reactions')}>${reactions.map((r) => html`<li data-emoji=${r.emoji}>${r.emoji} ${r.count}</li>`)}</ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-chat-replay': OnAirChatReplayElement;
  }
}

/** Registers `<onair-chat-replay>`. */
export function defineChatReplay(): void {
  defineElement('onair-chat-replay', OnAirChatReplayElement);
}
