import { OnAirError, type QueryState, QueryStore } from '@onair/core';
import type {
  ChatMode,
  QualityPreset,
  Stream,
  StreamPrivacy,
  UpdateStreamInput,
} from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { askConfirm, confirmDialog } from '../internal/confirm-dialog.js';
import {
  chosenImage,
  fromLocalInput,
  IMAGE_TYPES,
  invalidFields,
  PRIVACY_OPTIONS,
  parseTags,
  tierField,
  toLocalInput,
} from '../internal/forms.js';
import type { MessageKey } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { streamSettingsStyles } from './stream-settings.styles.js';

const CHAT_MODES: Array<[ChatMode, MessageKey]> = [
  ['open', 'chatModeOpen'],
  ['followers', 'chatModeFollowers'],
  ['subscribers', 'chatModeSubscribers'],
];
const QUALITIES: QualityPreset[] = ['360p', '480p', '720p', '1080p'];

/** The fields of the form that differ from `stream`, as an update. */
export function settingsPatch(stream: Stream, data: FormData): UpdateStreamInput {
  const text = (name: string) => String(data.get(name) ?? '');
  const checked = (name: string) => data.get(name) === 'on';
  const patch: UpdateStreamInput = {};
  const set = <K extends keyof UpdateStreamInput>(
    key: K,
    value: UpdateStreamInput[K],
    current: unknown,
  ) => {
    if (JSON.stringify(value) !== JSON.stringify(current)) patch[key] = value;
  };
  set('title', text('title').trim(), stream.title);
  set('description', text('description'), stream.description);
  set('category', text('category').trim() || null, stream.category);
  set('tags', parseTags(text('tags')), stream.tags);
  set('privacy', text('privacy') as StreamPrivacy, stream.privacy);
  if (data.has('minTier')) set('minTier', Number(text('minTier')), stream.minTier ?? 1);
  set('qualityPreset', text('qualityPreset') as QualityPreset, stream.qualityPreset);
  set('recording', checked('recording'), stream.recording);
  set('viewerLimit', text('viewerLimit') ? Number(text('viewerLimit')) : null, stream.viewerLimit);
  set('reactionsEnabled', checked('reactionsEnabled'), stream.reactionsEnabled);
  set('qnaEnabled', checked('qnaEnabled'), stream.qnaEnabled);
  if (stream.status === 'scheduled') {
    set('scheduledAt', fromLocalInput(text('scheduledAt')), stream.scheduledAt);
  }
  const chat = {
    enabled: checked('chatEnabled'),
    mode: text('chatMode') as ChatMode,
    slowModeSeconds: Number(text('slowModeSeconds') || 0),
    emoteOnly: checked('emoteOnly'),
  };
  set('chat', chat, stream.chat);
  return patch;
}

/**
 * Everything a stream's owner can change: info, privacy, schedule, quality,
 * recording, viewer limit, chat, reactions and Q&A; key rotation (the new key
 * is shown once) and cancelling a scheduled stream. Saves only what changed,
 * optimistically.
 *
 * @event onair-stream-saved - Changes were saved. Detail: {@link StreamSavedDetail}.
 * @csspart form - The form.
 * @csspart key - The one-time stream key panel.
 * @csspart dialog - The confirmation dialog before rotating the key or cancelling the stream.
 * @cssproperty --onair-form-accent - Buttons and focus.
 * @cssproperty --onair-form-error - Errors.
 * @cssproperty --onair-dialog-background - The confirmation dialog's background (the palette's, light or dark).
 * @cssproperty --onair-dialog-foreground - The confirmation dialog's text colour (the palette's).
 * @cssproperty --onair-dialog-border - The confirmation dialog's border colour (the palette's).
 * @cssproperty --onair-dialog-radius - The confirmation dialog's corner radius (default 8px).
 */
export class OnAirStreamSettingsElement extends OnAirElement {
  static override styles = streamSettingsStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    noConfirm: { type: Boolean, attribute: 'no-confirm' },
  };

  /** Stream to edit. */
  declare streamId: string | undefined;
  /** Skip confirmation dialogs. */
  declare noConfirm: boolean;

  readonly #state = new StoreController<QueryState<Stream>>(this);
  #busy = false;
  #error: OnAirError | null = null;
  #notice: MessageKey | null = null;
  #newKey: string | null = null;
  #invites: string[] | null = null;
  #invitesFor: string | undefined;
  /** The privacy picked and not yet saved: a `subscribers` stream asks for its minimum tier. */
  #privacy: StreamPrivacy | undefined;

  constructor() {
    super();
    this.noConfirm = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') || changed.has('streamId')) {
      this.#privacy = undefined;
      this.#state.setStore(
        this.client && this.streamId
          ? new QueryStore(this.client.queryClient, this.client.streams.detailQuery(this.streamId))
          : undefined,
      );
    }
  }

  protected override updated(): void {
    this.dataset.state = this.#state.value?.status ?? 'idle';
    const stream = this.#state.value?.data;
    // The invite list is the owner's: load it once per private stream.
    if (stream?.privacy === 'private' && this.#invitesFor !== stream.id && this.client) {
      this.#invitesFor = stream.id;
      this.client.streams.invites(stream.id).then(
        (ids) => {
          this.#invites = ids;
          this.requestUpdate();
        },
        () => undefined,
      );
    }
  }

  async #run(action: () => Promise<unknown>, notice: MessageKey | null = null): Promise<void> {
    this.#busy = true;
    this.#error = null;
    this.#notice = null;
    this.requestUpdate();
    try {
      await action();
      this.#notice = notice;
    } catch (error) {
      this.#error = OnAirError.from(error);
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  #onSubmit(event: SubmitEvent, stream: Stream): void {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const patch = settingsPatch(stream, data);
    const invites = data.has('invites')
      ? parseTags(String(data.get('invites')).replace(/\n/g, ','))
      : null;
    const invitesChanged = invites !== null && invites.join() !== (this.#invites ?? []).join();
    const image = chosenImage(data);
    if ((Object.keys(patch).length === 0 && !invitesChanged && !image) || !this.client) return;
    const client = this.client;
    void this.#run(async () => {
      let saved = Object.keys(patch).length
        ? await client.streams.update(stream.id, patch)
        : stream;
      if (image) saved = await client.streams.uploadThumbnail(stream.id, image);
      if (invites && invitesChanged)
        this.#invites = await client.streams.setInvites(stream.id, invites);
      this.emit('onair-stream-saved', { stream: saved });
    }, 'saved');
  }

  /** What the confirmation dialog asks, and its confirm button. */
  #asking: { question: MessageKey; action: MessageKey } = {
    question: 'confirmCancel',
    action: 'cancelStream',
  };

  /** Asks in the element's own dialog (unless `no-confirm`); true when confirmed. */
  async #confirm(question: MessageKey, action: MessageKey): Promise<boolean> {
    if (this.noConfirm) return true;
    this.#asking = { question, action };
    this.requestUpdate();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm');
    return !!dialog && (await askConfirm(dialog));
  }

  async #rotate(stream: Stream): Promise<void> {
    if (!this.client || !(await this.#confirm('confirmRotate', 'rotateKey'))) return;
    const client = this.client;
    void this.#run(async () => {
      this.#newKey = (await client.streams.rotateKey(stream.id)).streamKey;
    });
  }

  async #cancelStream(stream: Stream): Promise<void> {
    if (!this.client || !(await this.#confirm('confirmCancel', 'cancelStream'))) return;
    const client = this.client;
    void this.#run(() => client.streams.cancel(stream.id));
  }

  override render() {
    const s = this.#state.value;
    if (!s) return nothing;
    if (s.status === 'error') {
      return html`<div class="error" role="alert" data-code=${s.error?.code ?? ''}>${s.error?.message}</div>`;
    }
    const stream = s.data;
    if (!stream) return html`<div aria-busy="true"></div>`;
    const invalid = invalidFields(this.#error);
    const closed = stream.status === 'ended' || stream.status === 'cancelled';
    return html`
      <form part="form" aria-label=${this.t('settings')} @submit=${(e: SubmitEvent) => this.#onSubmit(e, stream)}>
        <fieldset ?disabled=${closed}>
          <label>${this.t('title')}<input name="title" required maxlength="140" .value=${stream.title} aria-invalid=${invalid.has('title')} /></label>
          <label>${this.t('description')}<textarea name="description" rows="3" .value=${stream.description}></textarea></label>
          <label>${this.t('thumbnail')}<input name="thumbnail" type="file" accept=${IMAGE_TYPES} /></label>
          <div class="row">
            <label>${this.t('category')}<input name="category" maxlength="60" .value=${stream.category ?? ''} /></label>
            <label>${this.t('tags')}<input name="tags" .value=${stream.tags.join(', ')} aria-invalid=${invalid.has('tags')} /></label>
          </div>
          <div class="row">
            <label>${this.t('privacy')}
              <select name="privacy" @change=${(e: Event) => {
                this.#privacy = (e.target as HTMLSelectElement).value as StreamPrivacy;
                this.requestUpdate();
              }}>${PRIVACY_OPTIONS.map(([v, k]) => html`<option value=${v} ?selected=${stream.privacy === v}>${this.t(k)}</option>`)}</select>
            </label>
            ${tierField(this.t('minTier'), this.#privacy ?? stream.privacy, stream.minTier, invalid.has('minTier'))}
            <label>${this.t('quality')}
              <select name="qualityPreset">${QUALITIES.map((q) => html`<option ?selected=${stream.qualityPreset === q}>${q}</option>`)}</select>
            </label>
            ${
              stream.status === 'scheduled'
                ? html`<label>${this.t('startsAt')}<input name="scheduledAt" type="datetime-local" .value=${toLocalInput(stream.scheduledAt)} aria-invalid=${invalid.has('scheduledAt')} /></label>`
                : nothing
            }
          </div>
          ${
            stream.privacy === 'private'
              ? html`<label>${this.t('invites')}<textarea name="invites" rows="2" .value=${(this.#invites ?? []).join('\n')}></textarea></label>`
              : nothing
          }
          <div class="row">
            <label class="inline"><input type="checkbox" name="recording" ?checked=${stream.recording} />${this.t('recordStream')}</label>
            <label>${this.t('viewerLimit')}<input name="viewerLimit" type="number" min="1" .value=${stream.viewerLimit === null ? '' : String(stream.viewerLimit)} aria-invalid=${invalid.has('viewerLimit')} /></label>
          </div>
          <div class="row">
            <label class="inline"><input type="checkbox" name="chatEnabled" ?checked=${stream.chat.enabled} />${this.t('chatEnabled')}</label>
            <label>${this.t('chatMode')}
              <select name="chatMode">${CHAT_MODES.map(([v, k]) => html`<option value=${v} ?selected=${stream.chat.mode === v}>${this.t(k)}</option>`)}</select>
            </label>
            <label>${this.t('slowMode')}<input name="slowModeSeconds" type="number" min="0" max="3600" .value=${String(stream.chat.slowModeSeconds)} /></label>
            <label class="inline"><input type="checkbox" name="emoteOnly" ?checked=${stream.chat.emoteOnly} />${this.t('emoteOnly')}</label>
          </div>
          <div class="row">
            <label class="inline"><input type="checkbox" name="reactionsEnabled" ?checked=${stream.reactionsEnabled} />${this.t('reactions')}</label>
            <label class="inline"><input type="checkbox" name="qnaEnabled" ?checked=${stream.qnaEnabled} />${this.t('qna')}</label>
          </div>
        </fieldset>
        ${this.#error ? html`<div class="error" role="alert" data-code=${this.#error.code}>${this.#error.message}</div>` : nothing}
        ${this.#notice ? html`<div role="status">${this.t(this.#notice)}</div>` : nothing}
        <div class="row">
          <button type="submit" ?disabled=${this.#busy || closed}>${this.t('save')}</button>
          <button type="button" class="secondary" ?disabled=${this.#busy || closed} @click=${() => void this.#rotate(stream)}>${this.t('rotateKey')}</button>
          ${
            stream.status === 'scheduled'
              ? html`<button type="button" class="secondary" ?disabled=${this.#busy} @click=${() => void this.#cancelStream(stream)}>${this.t('cancelStream')}</button>`
              : nothing
          }
        </div>
        ${
          this.#newKey
            ? html`<div part="key" class="key" role="status">
                <label>${this.t('streamKey')}<input readonly .value=${this.#newKey} /></label>
                <small>${this.t('keyShownOnce')}</small>
              </div>`
            : nothing
        }
      </form>
      ${confirmDialog({
        title: this.t(this.#asking.question),
        confirm: this.t(this.#asking.action),
        cancel: this.t('notNow'),
      })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stream-settings': OnAirStreamSettingsElement;
  }
}

/** Registers `<onair-stream-settings>`. */
export function defineStreamSettings(): void {
  defineElement('onair-stream-settings', OnAirStreamSettingsElement);
}
