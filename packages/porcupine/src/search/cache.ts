const INITIAL_SLOTS = 1 << 12;
const INITIAL_ENTRIES = 1 << 10;

/**
 * The memo of Lowe's algorithm: the set of (linearized set, state) pairs already explored.
 *
 * An open-addressing table of (fingerprint, entry) pairs, probed linearly. The fingerprint mixes two
 * independent 32-bit Zobrist hashes of the bitset with the model's state hash, so a probe almost never
 * looks further than the table itself unless the pair is really there; then the bitset (stored back to back
 * in one growing arena) and the state are compared exactly. Fingerprint 0 marks an empty slot.
 */
export class StateCache<S> {
  private readonly words: number;
  private arena: Uint32Array;
  private slots: Int32Array;
  private readonly states: S[] = [];
  private count = 0;

  constructor(
    operations: number,
    private readonly equal: (a: S, b: S) => boolean,
  ) {
    this.words = Math.max(1, Math.ceil(operations / 32));
    this.arena = new Uint32Array(INITIAL_ENTRIES * this.words);
    this.slots = new Int32Array(2 * INITIAL_SLOTS);
  }

  /** Number of memoised pairs. */
  get size(): number {
    return this.count;
  }

  /** Adds the pair unless an equal one is present; returns whether it was added. */
  addIfAbsent(bits: Uint32Array, hashA: number, hashB: number, stateHash: number, state: S): boolean {
    const words = this.words;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const fingerprint = fingerprintOf(hashA, hashB, stateHash);
    let slot = fingerprint & mask;
    for (;;) {
      const found = slots[2 * slot]!;
      if (found === 0) break;
      if (found === fingerprint) {
        const entry = slots[2 * slot + 1]!;
        const base = entry * words;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (this.arena[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same && this.equal(this.states[entry]!, state)) return false;
      }
      slot = (slot + 1) & mask;
    }
    const entry = this.count++;
    if ((entry + 1) * words > this.arena.length) {
      const arena = new Uint32Array(this.arena.length * 2);
      arena.set(this.arena);
      this.arena = arena;
    }
    this.arena.set(bits, entry * words);
    this.states.push(state);
    slots[2 * slot] = fingerprint;
    slots[2 * slot + 1] = entry;
    if (this.count * 2 > mask) this.resize();
    return true;
  }

  private resize(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      const fingerprint = old[i]!;
      if (fingerprint === 0) continue;
      let slot = fingerprint & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = fingerprint;
      slots[2 * slot + 1] = old[i + 1]!;
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
