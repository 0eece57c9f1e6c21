import type { LinearizedSet } from "./linearized-set.js";

/** Upper bound of the initial table size; small partitions start smaller, so many keys stay cheap. */
const MAX_INITIAL_SLOTS = 1 << 12;
/** Slot layout: fingerprint (0 = empty), offset of the entry in the arena. */
const SLOT = 2;

/**
 * The memo of Lowe's algorithm: the set of (linearized set, state) pairs already explored.
 *
 * An open-addressing table of (fingerprint, arena offset, state index) slots, probed linearly. The
 * fingerprint mixes the two Zobrist hashes of the linearized set with the model's state hash, so a probe
 * almost never leaves the table unless the pair is really there; then the set's canonical form, stored in
 * one growing arena as [state index, low, window length, window words…], and the state are compared exactly.
 */
export class StateCache<S> {
  private capacity: number;
  private slots: Int32Array;
  private arena: Int32Array;
  private arenaUsed = 0;
  private readonly states: S[] = [];

  constructor(
    operations: number,
    private readonly equal: (a: S, b: S) => boolean,
  ) {
    this.capacity = Math.min(MAX_INITIAL_SLOTS, 2 ** Math.ceil(Math.log2(Math.max(16, 4 * operations))));
    this.slots = new Int32Array(SLOT * this.capacity);
    this.arena = new Int32Array(this.capacity);
  }

  /** Number of memoised pairs. */
  get size(): number {
    return this.states.length;
  }

  /** Adds the pair unless an equal one is present; returns whether it was added. */
  addIfAbsent(set: LinearizedSet, stateHash: number, state: S): boolean {
    const slots = this.slots;
    const arena = this.arena;
    const mask = this.capacity - 1;
    const fingerprint = fingerprintOf(set.hashA, set.hashB, stateHash);
    const low = set.low;
    const high = set.high;
    const first = low >>> 5;
    const words = high < low ? 0 : (high >>> 5) - first + 1;
    const bits = set.bits;
    let slot = fingerprint & mask;
    for (;;) {
      const at = SLOT * slot;
      const found = slots[at]!;
      if (found === 0) break;
      if (found === fingerprint) {
        const offset = slots[at + 1]!;
        if (arena[offset + 1] === low && arena[offset + 2] === words) {
          let same = true;
          for (let w = 0; w < words; w++) {
            if (arena[offset + 3 + w] !== bits[first + w]!) {
              same = false;
              break;
            }
          }
          if (same && this.equal(this.states[arena[offset]!]!, state)) return false;
        }
      }
      slot = (slot + 1) & mask;
    }
    const offset = this.append(low, first, words, bits);
    const at = SLOT * slot;
    slots[at] = fingerprint;
    slots[at + 1] = offset;
    this.states.push(state);
    if (this.states.length * 2 > this.capacity) this.resize();
    return true;
  }

  private append(low: number, first: number, words: number, bits: Int32Array): number {
    const offset = this.arenaUsed;
    const needed = offset + 3 + words;
    if (needed > this.arena.length) {
      const arena = new Int32Array(Math.max(this.arena.length * 2, needed));
      arena.set(this.arena);
      this.arena = arena;
    }
    const arena = this.arena;
    arena[offset] = this.states.length;
    arena[offset + 1] = low;
    arena[offset + 2] = words;
    for (let w = 0; w < words; w++) arena[offset + 3 + w] = bits[first + w]!;
    this.arenaUsed = needed;
    return offset;
  }

  private resize(): void {
    const old = this.slots;
    this.capacity *= 2;
    const slots = new Int32Array(SLOT * this.capacity);
    const mask = this.capacity - 1;
    for (let i = 0; i < old.length; i += SLOT) {
      const fingerprint = old[i]!;
      if (fingerprint === 0) continue;
      let slot = fingerprint & mask;
      while (slots[SLOT * slot] !== 0) slot = (slot + 1) & mask;
      slots[SLOT * slot] = fingerprint;
      slots[SLOT * slot + 1] = old[i + 1]!;
    }
    this.slots = slots;
  }
}

function fingerprintOf(hashA: number, hashB: number, stateHash: number): number {
  let h = Math.imul(hashA ^ Math.imul(stateHash, 0x9e3779b1), 0x85ebca6b);
  h ^= hashB + (h >>> 15);
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}
