import { mix32 } from "../hash.js";

/**
 * The set of linearized operations of a partition (operation ids in call order), with what the cache needs
 * to compare sets cheaply:
 * - two independent 32-bit Zobrist hashes, updated in O(1) per add/remove;
 * - a compact canonical form. A linearized set is closed under real-time precedence, so with ids in call
 *   order it is a run of ids 0..low-1 (all in) followed by a short window of mixed bits up to `high`. The
 *   cache stores `low` and the words from low's to high's, so memory per entry follows the history's
 *   concurrency, not its length.
 */
export class LinearizedSet {
  readonly bits: Int32Array;
  /** The smallest id not in the set. */
  low = 0;
  /** The largest id in the set, or -1. */
  high = -1;
  hashA = 0;
  hashB = 0;
  private readonly zobristA: Int32Array;
  private readonly zobristB: Int32Array;

  constructor(readonly size: number) {
    this.bits = new Int32Array(Math.max(1, Math.ceil(size / 32)));
    this.zobristA = new Int32Array(size);
    this.zobristB = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      this.zobristA[i] = mix32(Math.imul(i + 1, 0x9e3779b9));
      this.zobristB[i] = mix32(Math.imul(i + 1, 0x7feb352d) ^ 0x68e31da4);
    }
  }

  /** First word of the canonical window. */
  get firstWord(): number {
    return this.low >>> 5;
  }

  /** Number of words in the canonical window (0 when no id above `low` is in the set). */
  get windowWords(): number {
    return this.high < this.low ? 0 : (this.high >>> 5) - (this.low >>> 5) + 1;
  }

  add(id: number): void {
    this.bits[id >>> 5]! |= 1 << (id & 31);
    this.hashA ^= this.zobristA[id]!;
    this.hashB ^= this.zobristB[id]!;
    if (id > this.high) this.high = id;
    if (id === this.low) this.low = this.firstAbsentFrom(id + 1);
  }

  remove(id: number): void {
    this.bits[id >>> 5]! &= ~(1 << (id & 31));
    this.hashA ^= this.zobristA[id]!;
    this.hashB ^= this.zobristB[id]!;
    if (id < this.low) this.low = id;
    if (id === this.high) this.high = this.lastPresentFrom(id - 1);
  }

  private firstAbsentFrom(start: number): number {
    const bits = this.bits;
    let w = start >>> 5;
    if (w >= bits.length) return start;
    let absent = ~bits[w]! & (-1 << (start & 31));
    while (absent === 0) {
      w++;
      if (w >= bits.length) return w << 5;
      absent = ~bits[w]!;
    }
    return (w << 5) + (31 - Math.clz32(absent & -absent));
  }

  private lastPresentFrom(start: number): number {
    if (start < 0) return -1;
    const bits = this.bits;
    let w = start >>> 5;
    const b = start & 31;
    let present = bits[w]! & (b === 31 ? -1 : (1 << (b + 1)) - 1);
    while (present === 0) {
      if (w === 0) return -1;
      w--;
      present = bits[w]!;
    }
    return (w << 5) + 31 - Math.clz32(present);
  }
}
