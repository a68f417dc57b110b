import { randomInt } from 'node:crypto';

const isNewer = (a: number, b: number) => a !== b && ((a - b) & 0xffff) < 0x8000;

/**
 * Maps a source's sequence numbers onto a consumer's continuous ones. Dropped
 * packets (padding) leave no gap, so a viewer never asks for what the SFU
 * never sends; a new source (a simulcast switch) continues where the last
 * one left off.
 */
export class SequenceMap {
  private offset = 0;
  private maxIn = -1;
  private startIn = 0;
  private lastOut: number;
  /** Input sequence numbers dropped since the last reset, newest last (bounded). */
  private drops: number[] = [];

  constructor(start = randomInt(0, 0x10000)) {
    this.lastOut = (start - 1) & 0xffff;
  }

  /** Starts a new source at `seq`: it follows the last number handed out. */
  reset(seq: number): void {
    this.offset = (seq - this.lastOut - 1) & 0xffff;
    this.maxIn = (seq - 1) & 0xffff;
    this.startIn = seq;
    this.drops = [];
  }

  /** The output number of a forwarded packet, or undefined if it predates the source. */
  map(seq: number): number | undefined {
    if (this.maxIn === -1) this.reset(seq);
    if (isNewer(seq, this.maxIn)) {
      this.maxIn = seq;
      const out = (seq - this.offset) & 0xffff;
      this.lastOut = out;
      return out;
    }
    if (seq !== this.startIn && !isNewer(seq, this.startIn)) return undefined;
    // A late packet: the drops after it were counted in the offset, not for it.
    const later = this.drops.filter((d) => isNewer(d, seq)).length;
    return (seq - this.offset + later) & 0xffff;
  }

  /** A packet that will not be forwarded (padding): later numbers close the gap. */
  drop(seq: number): void {
    if (this.maxIn === -1) this.reset(seq);
    if (!isNewer(seq, this.maxIn)) return;
    this.maxIn = seq;
    this.offset = (this.offset + 1) & 0xffff;
    this.drops.push(seq);
    if (this.drops.length > 512) this.drops.shift();
  }

  /** The last output number handed out. */
  get last(): number {
    return this.lastOut;
  }
}
