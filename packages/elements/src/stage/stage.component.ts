import type { PlayerState, RealtimeParticipant } from '@onair/core';
import type { Stage } from '@onair/protocol/stage';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { defineElement, OnAirElementBase } from '../internal/element-base.js';
import { type ExternalStore, StoreController } from '../internal/store-controller.js';
import { stageEnglish } from '../stage/stage-messages.js';
import { stageStyles } from './stage.styles.js';

/** Where `<onair-stage>` finds the people publishing: a `Player` in real-time mode, or a stand-in. */
export type ParticipantSource = ExternalStore<Pick<PlayerState, 'participants'>>;

/** Where `<onair-stage>` finds names, roles and host muting: a core `StageStore`, or a stand-in. */
export type StageSource = ExternalStore<{ stage: Stage | null }>;

/** How `<onair-stage>` lays the tiles out. */
export type StageLayout = 'grid' | 'speaker';

/** Initials of a name, for a tile without video. */
const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('');

/**
 * The people on a live stream's stage, each in a tile: the host and the
 * co-hosts and guests who publish (docs/stage.md), as a real-time viewer
 * receives them. `grid` gives everyone an equal tile; `speaker` gives the
 * one speaking (the host until someone speaks) the large tile and the rest a
 * strip. Someone sharing a screen takes the large tile, in either layout,
 * until they stop. Each tile has the person's name, a microphone-off mark
 * when they send no audio or the host muted them, and a ring while they speak.
 *
 * Give it `player` (a core `Player` playing in real time; `<onair-player>`'s
 * `player`) or `for` (the id of an `<onair-player realtime>`), and for names
 * `stage` (a core `StageStore`) and `host-name`. The tiles' videos are muted:
 * everyone's voice already plays in the player.
 *
 * @csspart tiles - The box of tiles.
 * @csspart tile - One person's tile (`data-user-id`, `data-speaking`, `data-muted`, `data-screen`).
 * @csspart name - The name on a tile.
 * @cssproperty --onair-stage-background - Behind the tiles.
 * @cssproperty --onair-stage-tile - A tile without video.
 * @cssproperty --onair-stage-foreground - Names and marks.
 * @cssproperty --onair-stage-speaking - The ring of whoever speaks.
 * @cssproperty --onair-stage-gap - Space between tiles.
 * @cssproperty --onair-stage-radius - Corner radius of a tile.
 */
export class OnAirStageElement extends OnAirElementBase {
  static override styles = stageStyles;
  static override properties = {
    for: { type: String },
    player: { attribute: false },
    stage: { attribute: false },
    layout: { type: String, reflect: true },
    hostName: { type: String, attribute: 'host-name' },
  };

  /** Its strings: `stageMessages` and the few of the main catalog it shares. */
  protected static override english = stageEnglish;

  /** Id of an `<onair-player>` (in real-time mode) whose participants to show. */
  declare for: string | undefined;
  /** The participants' source: a `Player` (takes precedence over `for`). */
  declare player: ParticipantSource | undefined;
  /** The stream's stage (a `StageStore`): names, roles, and who the host muted. */
  declare stage: StageSource | undefined;
  /** `grid` (default) or `speaker`. */
  declare layout: StageLayout;
  /** The host's name (the stage lists the others only). */
  declare hostName: string | undefined;

  private readonly receiving = new StoreController<Pick<PlayerState, 'participants'>>(this);
  private readonly members = new StoreController<{ stage: Stage | null }>(this);
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Key of the participant in the large tile (speaker layout): the last who spoke. */
  private speaker = '';

  constructor() {
    super();
    this.layout = 'grid';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('for') || changed.has('player')) this.bind();
    if (changed.has('stage')) this.members.setStore(this.stage);
    if (this.layout === 'speaker') this.chooseSpeaker(this.receiving.value?.participants ?? []);
  }

  // `for` may name an element that is not there yet, or whose player starts later.
  private bind(): void {
    clearTimeout(this.retry);
    let player = this.player;
    if (!player && this.for) {
      const target = (this.getRootNode() as Document | ShadowRoot).getElementById?.(this.for) as
        | (HTMLElement & { player?: ParticipantSource })
        | null;
      player = target?.player;
      if (!player && this.isConnected) this.retry = setTimeout(() => this.bind(), 500);
    }
    if (this.receiving.current !== player) this.receiving.setStore(player);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.retry);
  }

  private keyOf(p: RealtimeParticipant): string {
    return p.host ? '' : (p.userId ?? '');
  }

  private nameOf(p: RealtimeParticipant, stage: Stage | null): string {
    if (p.host) return this.hostName ?? this.t('stageHost');
    return stage?.members.find((m) => m.user.id === p.userId)?.user.displayName ?? p.userId ?? '';
  }

  /** Who gets the large tile: whoever speaks, else the last who spoke while still here, else the host. */
  private chooseSpeaker(people: readonly RealtimeParticipant[]): void {
    const current = people.find((p) => this.keyOf(p) === this.speaker);
    if (current?.speaking) return;
    const speaking = people.find((p) => p.speaking);
    if (speaking) {
      this.speaker = this.keyOf(speaking);
    } else if (!current) {
      const fallback = people.find((p) => p.host) ?? people[0];
      this.speaker = fallback ? this.keyOf(fallback) : '';
    }
  }

  protected override updated(): void {
    const people = this.receiving.value?.participants ?? [];
    this.dataset.count = String(people.length);
  }

  private tile(p: RealtimeParticipant, stage: Stage | null, large: boolean) {
    const name = this.nameOf(p, stage);
    const member = stage?.members.find((m) => m.user.id === p.userId);
    const muted = !p.hasAudio || member?.mutedByHost === true;
    return html`<figure
      part="tile"
      class=${large ? 'tile large' : 'tile'}
      data-user-id=${p.userId ?? ''}
      ?data-host=${p.host}
      ?data-speaking=${p.speaking}
      ?data-muted=${muted}
      ?data-screen=${p.sharingScreen}
      aria-label=${p.speaking ? `${name}, ${this.t('stageSpeaking')}` : name}
    >
      ${
        p.hasVideo
          ? html`<video .srcObject=${p.mediaStream} .muted=${true} muted autoplay playsinline></video>`
          : html`<span class="initials" aria-hidden="true">${initials(name)}</span>`
      }
      <figcaption part="name">
        ${
          muted
            ? html`<span
                class="mic-off"
                role="img"
                aria-label=${member?.mutedByHost ? this.t('stageMutedByHost') : this.t('stageMicOff')}
                title=${member?.mutedByHost ? this.t('stageMutedByHost') : this.t('stageMicOff')}
              ></span>`
            : nothing
        }
        <span class="name">${name}</span>
      </figcaption>
    </figure>`;
  }

  override render() {
    const people = this.receiving.value?.participants ?? [];
    const stage = this.members.value?.stage ?? null;
    if (!people.length) {
      return html`<div part="tiles" class="tiles empty" role="status">${this.t('stageEmpty')}</div>`;
    }
    const columns = people.length <= 1 ? 1 : people.length <= 4 ? 2 : 3;
    const screen = people.find((p) => p.sharingScreen);
    if ((screen || this.layout === 'speaker') && people.length > 1) {
      const large = screen ?? people.find((p) => this.keyOf(p) === this.speaker) ?? people[0];
      const rest = people.filter((p) => p !== large);
      return html`<div part="tiles" class="tiles speaker" aria-label=${this.t('stage')}>
        ${large ? this.tile(large, stage, true) : nothing}
        <div class="strip">
          ${repeat(
            rest,
            (p) => this.keyOf(p),
            (p) => this.tile(p, stage, false),
          )}
        </div>
      </div>`;
    }
    return html`<div
      part="tiles"
      class="tiles grid"
      style=${`--columns: ${columns}`}
      aria-label=${this.t('stage')}
    >
      ${repeat(
        people,
        (p) => this.keyOf(p),
        (p) => this.tile(p, stage, false),
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stage': OnAirStageElement;
  }
}

/** Registers `<onair-stage>`. */
export function defineStage(): void {
  defineElement('onair-stage', OnAirStageElement);
}
