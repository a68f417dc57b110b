import { OnAirError } from '@onair/core';
import { type StageState, StageStore } from '@onair/core/stage';
import {
  type RaisedHand,
  STAGE_LAYOUTS,
  type StageLayout,
  type StageMember,
  type StageRole,
} from '@onair/protocol/stage';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { defineElement, OnAirElementBase } from '../internal/element-base.js';
import { StoreController } from '../internal/store-controller.js';
import { stageEnglish } from '../stage/stage-messages.js';
import { stageManagerStyles } from './stage-manager.styles.js';

/**
 * What `<onair-stage-manager>` needs of a stage store: a core `StageStore`,
 * or a stand-in with the same methods. The actions reject with an
 * `OnAirError` (or anything `OnAirError.from` reads) when the server refuses.
 */
export interface StageManagerStoreLike {
  subscribe(listener: (state: Pick<StageState, 'status' | 'stage' | 'error'>) => void): () => void;
  /** The stage as last loaded or pushed, the load's status, and its error. */
  getSnapshot(): Pick<StageState, 'status' | 'stage' | 'error'>;
  /** Brings `userId` on stage in `role` (and lowers their hand). */
  invite(userId: string, role: StageRole): Promise<unknown>;
  /** Mutes a member's microphone for everyone, or lets them speak again. */
  setMuted(userId: string, mutedByHost: boolean): Promise<unknown>;
  /** Takes a member off the stage. */
  remove(userId: string): Promise<void>;
  /** Lowers someone's raised hand. */
  lowerHand(userId: string): Promise<void>;
  /** Sets the layout of the picture HLS viewers see. */
  setLayout(layout: StageLayout): Promise<unknown>;
}

/** Which list a control belongs to: where focus goes when its row leaves. */
type Section = 'hands' | 'members' | 'invite' | 'layout';

/**
 * The stage controls of a live stream's owner and moderators (docs/stage.md):
 * the raised hands, first raised first, each brought on stage as a guest or
 * dismissed; the co-hosts and guests on stage, whether they send yet, muted
 * by the host or not, and taken off the stage; and a form that invites a
 * co-host by user id; and the layout of the one picture HLS viewers and
 * the recording get of everyone on stage (a grid, or whoever speaks large),
 * which changes live. A refused action (`STREAM_FULL`, `FORBIDDEN`,
 * `NOT_FOUND`…) shows in an alert with its `data-code`; a person's buttons
 * are disabled while an action on them runs. The server checks who may
 * manage the stage: anyone else sees only their own hand, and is refused.
 *
 * Give it `client`, `stream-id` and `user-id` (the signed-in user's id, the
 * `sub` of their token), or `store` (a `StageStore` or a stand-in). The host
 * element reflects `data-hands` and `data-members` (counts) and
 * `data-status` (the store's).
 *
 * @example
 * ```html
 * <onair-stage-manager stream-id="str_123" user-id="usr_owner"></onair-stage-manager>
 * <script type="module">
 *   import '@onair/elements/stage-manager';
 *   document.querySelector('onair-stage-manager').client = client;
 * </script>
 * ```
 *
 * @csspart hands - The raised hands' section.
 * @csspart members - The section of the people on stage.
 * @csspart invite - The form inviting a co-host.
 * @csspart layout - The layout choice of the composed picture (its buttons are `aria-pressed`).
 * @csspart row - One raised hand or member (`data-user-id`; members also
 *   `data-role`, `data-muted`, `data-publishing`).
 * @cssproperty --onair-stage-manager-background - Behind the controls.
 * @cssproperty --onair-stage-manager-foreground - Text.
 * @cssproperty --onair-stage-manager-muted - Secondary text, separators and empty states.
 * @cssproperty --onair-stage-manager-accent - Main buttons and focus rings.
 * @cssproperty --onair-stage-manager-danger - "Remove from stage", muted marks and errors.
 * @cssproperty --onair-stage-manager-live - The mark of a member who sends.
 * @cssproperty --onair-stage-manager-radius - Corner radius of the box and its buttons.
 */
export class OnAirStageManagerElement extends OnAirElementBase {
  static override styles = stageManagerStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    userId: { type: String, attribute: 'user-id' },
    store: { attribute: false },
  };

  /** Its strings: `stageMessages` and the few of the main catalog it shares. */
  protected static override english = stageEnglish;

  /** The stream whose stage to manage. */
  declare streamId: string | undefined;
  /** The signed-in user's id (the `sub` of their token), for the store the element creates. */
  declare userId: string | undefined;
  /** A stage store to use instead of creating one from `client` and `stream-id`. */
  declare store: StageManagerStoreLike | undefined;

  private readonly state = new StoreController<
    ReturnType<StageManagerStoreLike['getSnapshot']>,
    StageManagerStoreLike
  >(this);
  /** What an action runs on now (`person:<id>`, or `invite`): its buttons are disabled. */
  private readonly running = new Set<string>();
  private error: OnAirError | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The store's idea of "me" comes from the user id: a new id needs a new store.
    const rebind = changed.has('userId') && !this.store ? { has: () => true } : changed;
    this.state.follow(rebind, this.store, () =>
      this.client && this.streamId
        ? new StageStore(this.client, this.streamId, { userId: this.userId ?? null })
        : undefined,
    );
  }

  protected override updated(): void {
    const s = this.state.value;
    this.dataset.status = s?.status ?? 'idle';
    this.dataset.hands = String(s?.stage?.hands.length ?? 0);
    this.dataset.members = String(s?.stage?.members.length ?? 0);
  }

  /**
   * Runs one action, the buttons of `key` (a person, or the invite form)
   * disabled meanwhile; a refusal becomes the alert. True when it
   * succeeded. Focus the action took away (its row left, or its button was
   * disabled) comes back to the nearest control.
   */
  private async act(
    key: string,
    work: (store: StageManagerStoreLike) => Promise<unknown>,
  ): Promise<boolean> {
    const store = this.state.current;
    if (!store || this.running.has(key)) return false;
    const focused = this.shadowRoot?.activeElement as HTMLElement | null | undefined;
    this.running.add(key);
    this.error = null;
    this.requestUpdate();
    let done = false;
    try {
      await work(store);
      done = true;
    } catch (error) {
      this.error = OnAirError.from(error);
    } finally {
      this.running.delete(key);
      this.requestUpdate();
    }
    await this.updateComplete;
    if (focused) this.restoreFocus(focused);
    return done;
  }

  private restoreFocus(previous: HTMLElement): void {
    const root = this.shadowRoot;
    // Focus still somewhere (here or elsewhere on the page): leave it be.
    if (!root || root.activeElement || (document.activeElement ?? document.body) !== document.body)
      return;
    if (previous.isConnected && !(previous as HTMLButtonElement).disabled) {
      previous.focus();
      return;
    }
    const section = previous.dataset.section as Section | undefined;
    const action = previous.dataset.action;
    const next =
      section && action
        ? root.querySelector<HTMLElement>(
            `[data-section="${section}"][data-action="${action}"]:not(:disabled)`,
          )
        : null;
    (next ?? root.querySelector<HTMLElement>(`#${section ?? 'members'}-title`))?.focus();
  }

  private async onInvite(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem(
      'userId',
    ) as HTMLInputElement;
    const userId = input.value.trim();
    if (!userId) return;
    if (await this.act('invite', (store) => store.invite(userId, 'cohost'))) input.value = '';
  }

  private hand(hand: RaisedHand) {
    const { id, displayName: name } = hand.user;
    const busy = this.running.has(`person:${id}`);
    return html`<li part="row" class="row" data-user-id=${id} aria-busy=${busy ? 'true' : 'false'}>
      <span class="name">${name}</span>
      <span class="actions">
        <button
          class="primary"
          data-section="hands"
          data-action="bring-on"
          aria-label=${`${this.t('stageBringOn')}: ${name}`}
          ?disabled=${busy}
          @click=${() => this.act(`person:${id}`, (store) => store.invite(id, 'guest'))}
        >
          ${this.t('stageBringOn')}
        </button>
        <button
          data-section="hands"
          data-action="dismiss"
          aria-label=${`${this.t('stageDismiss')}: ${name}`}
          ?disabled=${busy}
          @click=${() => this.act(`person:${id}`, (store) => store.lowerHand(id))}
        >
          ${this.t('stageDismiss')}
        </button>
      </span>
    </li>`;
  }

  private member(member: StageMember) {
    const { id, displayName: name } = member.user;
    const busy = this.running.has(`person:${id}`);
    const muted = member.mutedByHost;
    const mute = muted ? this.t('unmute') : this.t('mute');
    return html`<li
      part="row"
      class="row"
      data-user-id=${id}
      data-role=${member.role}
      ?data-muted=${muted}
      ?data-publishing=${member.publishing}
      aria-busy=${busy ? 'true' : 'false'}
    >
      <span class="who">
        <span class="name">${name}</span>
        <span class="facts">
          <span class="role">${member.role === 'cohost' ? this.t('stageCohost') : this.t('stageGuest')}</span>
          <span class=${member.publishing ? 'sending live' : 'sending'}>
            ${member.publishing ? this.t('stageLive') : this.t('stageWaiting')}
          </span>
          ${muted ? html`<span class="muted-mark">${this.t('stageMutedByHost')}</span>` : nothing}
        </span>
      </span>
      <span class="actions">
        <button
          data-section="members"
          data-action="mute"
          aria-label=${`${mute}: ${name}`}
          ?disabled=${busy}
          @click=${() => this.act(`person:${id}`, (store) => store.setMuted(id, !muted))}
        >
          ${mute}
        </button>
        <button
          class="danger"
          data-section="members"
          data-action="remove"
          aria-label=${`${this.t('stageRemove')}: ${name}`}
          ?disabled=${busy}
          @click=${() => this.act(`person:${id}`, (store) => store.remove(id))}
        >
          ${this.t('stageRemove')}
        </button>
      </span>
    </li>`;
  }

  private layoutChoice(current: StageLayout) {
    const busy = this.running.has('layout');
    const label = { grid: this.t('stageLayoutGrid'), speaker: this.t('stageLayoutSpeaker') };
    return html`<div part="layout" class="layout" role="group" aria-labelledby="layout-title">
      <span id="layout-title">${this.t('stageLayout')}</span>
      <span class="choices">
        ${STAGE_LAYOUTS.map(
          (layout) => html`<button
            data-section="layout"
            data-action=${layout}
            aria-pressed=${layout === current ? 'true' : 'false'}
            ?disabled=${busy}
            @click=${() =>
              layout !== current && this.act('layout', (store) => store.setLayout(layout))}
          >
            ${label[layout]}
          </button>`,
        )}
      </span>
    </div>`;
  }

  override render() {
    const s = this.state.value;
    const stage = s?.stage ?? null;
    // Raised first, listed first (the server sends them so; a stand-in may not).
    const hands = [...(stage?.hands ?? [])].sort(
      (a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt),
    );
    const members = stage?.members ?? [];
    const error = this.error ?? (s?.status === 'error' ? s.error : null);
    const loading = s !== undefined && !stage && s.status !== 'error';
    return html`
      ${
        error
          ? html`<p class="alert" role="alert" data-code=${error.code}>${error.message}</p>`
          : nothing
      }
      ${loading ? html`<p class="empty" role="status">${this.t('loading')}</p>` : nothing}
      <section part="hands" aria-labelledby="hands-title">
        <h2 id="hands-title" tabindex="-1">
          ${this.t('stageHands')} <span class="count">${hands.length}</span>
        </h2>
        ${
          hands.length
            ? html`<ul>
                ${repeat(
                  hands,
                  (h) => h.user.id,
                  (h) => this.hand(h),
                )}
              </ul>`
            : html`<p class="empty">${this.t('stageNoHands')}</p>`
        }
      </section>
      <section part="members" aria-labelledby="members-title">
        <h2 id="members-title" tabindex="-1">
          ${this.t('stage')}
          ${
            // The owner is on stage too, and counts toward the limit.
            stage ? html`<span class="count">${members.length + 1}/${stage.limit}</span>` : nothing
          }
        </h2>
        ${
          members.length
            ? html`<ul>
                ${repeat(
                  members,
                  (m) => m.user.id,
                  (m) => this.member(m),
                )}
              </ul>`
            : html`<p class="empty">${this.t('stageNobody')}</p>`
        }
      </section>
      ${stage ? this.layoutChoice(stage.layout) : nothing}
      <form part="invite" class="invite" @submit=${this.onInvite}>
        <label for="invite-user">${this.t('stageInviteLabel')}</label>
        <span class="field">
          <input
            id="invite-user"
            name="userId"
            autocomplete="off"
            spellcheck="false"
            required
            ?disabled=${this.running.has('invite')}
          />
          <button
            type="submit"
            class="primary"
            data-section="invite"
            data-action="invite"
            ?disabled=${this.running.has('invite')}
          >
            ${this.t('stageInvite')}
          </button>
        </span>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stage-manager': OnAirStageManagerElement;
  }
}

/** Registers `<onair-stage-manager>`. */
export function defineStageManager(): void {
  defineElement('onair-stage-manager', OnAirStageManagerElement);
}
