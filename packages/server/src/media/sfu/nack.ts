/*
 * Loss repair on ingest: the SFU is the publisher's receiver, so it asks for
 * missing packets (RTCP generic NACK, RFC 4585) and takes them back over RTX.
 * Without it every lost packet would be a broken frame in HLS and for every
 * real-time viewer until the next keyframe.
 */

/** Wait before the first NACK, so plain reordering is not mistaken for loss, ms. */
const FIRST_NACK_MS = 10;
/** Wait between NACKs of the same packet (a round trip on most links), ms. */
const RETRY_MS = 100;
/** NACKs per packet before giving up. */
const MAX_TRIES = 4;
/** A packet older than this is no use any more (a keyframe is cheaper), ms. */
const MAX_AGE_MS = 1000;
/** A bigger gap is an outage, not loss: ask for a keyframe instead. */
const MAX_GAP = 256;

const isNewer = (a: number, b: number) => a !== b && ((a - b) & 0xffff) < 0x8000;

/** What {@link NackRequester.received} made of a packet. */
export type Arrival = 'new' | 'recovered' | 'duplicate';

interface Missing {
  since: number;
  tries: number;
  lastAt: number;
}

/** Tracks one RTP stream's sequence numbers and says which to ask for again. */
export class NackRequester {
  private maxSeq = -1;
  private readonly missing = new Map<number, Missing>();
  /** Packets asked for again, and recovered. */
  requested = 0;
  recovered = 0;

  /**
   * @param lost Gives up on packets: a keyframe request is due.
   */
  constructor(private readonly lost: () => void) {}

  /** Records an arriving sequence number. */
  received(seq: number, now: number): Arrival {
    if (this.maxSeq === -1) {
      this.maxSeq = seq;
      return 'new';
    }
    if (isNewer(seq, this.maxSeq)) {
      const gap = (seq - this.maxSeq - 1) & 0xffff;
      if (gap > MAX_GAP) {
        this.missing.clear();
        this.lost();
      } else {
        for (let i = 1; i <= gap; i++) {
          this.missing.set((this.maxSeq + i) & 0xffff, { since: now, tries: 0, lastAt: 0 });
        }
      }
      this.maxSeq = seq;
      return 'new';
    }
    if (this.missing.delete(seq)) {
      this.recovered++;
      return 'recovered';
    }
    return 'duplicate';
  }

  /** Whether packets are being waited for. */
  get pending(): number {
    return this.missing.size;
  }

  /** The sequence numbers to NACK now; forgets the hopeless ones. */
  due(now: number): number[] {
    const out: number[] = [];
    let gaveUp = false;
    for (const [seq, entry] of this.missing) {
      if (entry.tries >= MAX_TRIES || now - entry.since > MAX_AGE_MS) {
        this.missing.delete(seq);
        gaveUp = true;
        continue;
      }
      const wait = entry.tries === 0 ? FIRST_NACK_MS : RETRY_MS;
      if (now - (entry.tries === 0 ? entry.since : entry.lastAt) < wait) continue;
      entry.tries++;
      entry.lastAt = now;
      out.push(seq);
    }
    this.requested += out.length;
    if (gaveUp) this.lost();
    return out;
  }
}
