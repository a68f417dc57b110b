import type { Player, PlayerState, Publisher, PublisherState } from '@onair/core';
import { css, html, nothing, type PropertyValues } from 'lit';
import type { MessageKey } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';

const kbps = (bits: number) => `${Math.round(bits / 1000)} kbit/s`;

/**
 * A compact panel of the live figures of a broadcaster or a viewer: what
 * is sent (bitrate, picture, frame rate, loss, round trip, what limits the
 * encoder) or what is received (mode, picture, bitrate, latency, buffer,
 * dropped frames, the bandwidth estimate).
 *
 * Give it `publisher` or `player` (core objects), or `for` (the id of an
 * `<onair-broadcaster>` or `<onair-player>` in the same document).
 *
 * @csspart list - The `<dl>` of figures.
 * @cssproperty --onair-stats-background - Panel colour.
 * @cssproperty --onair-stats-foreground - Text colour.
 */
export class OnAirStatsElement extends OnAirElement {
  static override styles = css`
    :host {
      --onair-stats-background: rgb(0 0 0 / 75%);
      --onair-stats-foreground: #fff;
      display: inline-block;
      font: 12px/1.5 ui-monospace, monospace;
      color: var(--onair-stats-foreground);
      background: var(--onair-stats-background);
      border-radius: calc(var(--_r) * 0.75);
      padding: calc(var(--_s) * 1.6) calc(var(--_s) * 2.4);
    }
    dl {
      display: grid;
      grid-template-columns: auto auto;
      gap: 0 calc(var(--_s) * 3.2);
      margin: 0;
    }
    dt {
      opacity: 0.7;
    }
    dd {
      margin: 0;
      text-align: end;
    }
  `;

  static override properties = {
    for: { type: String },
    publisher: { attribute: false },
    player: { attribute: false },
  };

  /** Id of an `<onair-broadcaster>` or `<onair-player>` whose figures to show. */
  declare for: string | undefined;
  /** A Publisher to show (takes precedence over `for`). */
  declare publisher: Publisher | undefined;
  /** A Player to show (takes precedence over `for`). */
  declare player: Player | undefined;

  readonly #sending = new StoreController<PublisherState>(this);
  readonly #receiving = new StoreController<PlayerState>(this);
  #retry: ReturnType<typeof setTimeout> | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('for') || changed.has('publisher') || changed.has('player')) this.#bind();
  }

  // `for` may name an element that is not there yet, or whose engine starts later.
  #bind(): void {
    clearTimeout(this.#retry);
    let publisher = this.publisher;
    let player = this.player;
    if (!publisher && !player && this.for) {
      const target = (this.getRootNode() as Document | ShadowRoot).getElementById?.(this.for) as
        | (HTMLElement & { publisher?: Publisher; player?: Player })
        | null;
      publisher = target?.publisher;
      player = target?.player;
      if (!publisher && !player && this.isConnected) {
        this.#retry = setTimeout(() => this.#bind(), 500);
      }
    }
    this.#sending.setStore(publisher);
    this.#receiving.setStore(player);
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#retry);
  }

  #rows(rows: Array<[MessageKey, string]>) {
    return html`<dl part="list" aria-label=${this.t('liveStats')}>
      ${rows.map(([key, value]) => html`<dt>${this.t(key)}</dt><dd>${value}</dd>`)}
    </dl>`;
  }

  override render() {
    const sent = this.#sending.value?.stats;
    if (sent) {
      return this.#rows([
        ['statsBitrate', kbps(sent.videoBitrate + sent.audioBitrate)],
        ['statsPicture', `${sent.width}×${sent.height} @ ${Math.round(sent.frameRate)}`],
        ['statsLoss', sent.packetLoss === null ? '–' : `${(sent.packetLoss * 100).toFixed(1)} %`],
        [
          'statsRoundTrip',
          sent.roundTripTime === null ? '–' : `${Math.round(sent.roundTripTime * 1000)} ms`,
        ],
        ['statsLimitedBy', sent.qualityLimitationReason],
      ]);
    }
    const state = this.#receiving.value;
    const got = state?.stats;
    if (state && got) {
      return this.#rows([
        ['statsMode', state.mode === 'realtime' ? this.t('statsRealtime') : 'LL-HLS'],
        ['statsPicture', `${got.width}×${got.height}`],
        ['statsBitrate', kbps(got.bitrate)],
        ['statsLatency', state.latency === null ? '–' : `${state.latency.toFixed(1)} s`],
        ...(state.mode === 'hls'
          ? ([
              ['statsBuffer', `${got.buffer.toFixed(1)} s`],
              ['statsEstimate', got.bandwidthEstimate === null ? '–' : kbps(got.bandwidthEstimate)],
            ] as Array<[MessageKey, string]>)
          : ([['statsLost', String(got.packetsLost)]] as Array<[MessageKey, string]>)),
        ['statsDropped', String(got.droppedFrames)],
      ]);
    }
    return html`<span>${nothing}${this.t('statsWaiting')}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stats': OnAirStatsElement;
  }
}

/** Registers `<onair-stats>`. */
export function defineStats(): void {
  defineElement('onair-stats', OnAirStatsElement);
}
