const EMPTY = -1;
const INITIAL_CAPACITY = 1024;

/**
 * The memo of Lowe's algorithm: the set of (linearized-set, state) pairs already explored.
 * Linearized sets are bitsets of `words` 32-bit words, stored back to back in one growing arena; each entry
 * also keeps two independent 32-bit Zobrist hashes of its bitset and the model's hash of its state, so that a
 * full comparison only runs on a probable match. Buckets are chained through `chain`.
 */
export class StateCache<S> {
  private readonly words: number;
  private arena: Uint32Array;
  private keyA: Int32Array;
  private keyB: Int32Array;
  private stateHash: Int32Array;
  private chain: Int32Array;
  private buckets: Int32Array;
  private readonly states: S[] = [];
  private count = 0;

  constructor(
    operations: number,
    private readonly equal: (a: S, b: S) => boolean,
  ) {
    this.words = Math.max(1, Math.ceil(operations / 32));
    this.arena = new Uint32Array(INITIAL_CAPACITY * this.words);
    this.keyA = new Int32Array(INITIAL_CAPACITY);
    this.keyB = new Int32Array(INITIAL_CAPACITY);
    this.stateHash = new Int32Array(INITIAL_CAPACITY);
    this.chain = new Int32Array(INITIAL_CAPACITY);
    this.buckets = new Int32Array(INITIAL_CAPACITY * 2).fill(EMPTY);
  }

  /** Number of memoised pairs. */
  get size(): number {
    return this.count;
  }

  /** Approximate bytes held by the typed arrays (states not included). */
  get bytes(): number {
    return this.arena.byteLength + 16 * this.keyA.length + 4 * this.buckets.length;
  }

  /** Adds the pair unless an equal one is present; returns whether it was added. */
  addIfAbsent(bits: Uint32Array, hashA: number, hashB: number, stateHash: number, state: S): boolean {
    const words = this.words;
    const arena = this.arena;
    const slot = bucketOf(hashA, stateHash) & (this.buckets.length - 1);
    for (let e = this.buckets[slot]!; e !== EMPTY; e = this.chain[e]!) {
      if (this.keyA[e] !== hashA || this.keyB[e] !== hashB || this.stateHash[e] !== stateHash) continue;
      let same = true;
      const base = e * words;
      for (let w = 0; w < words; w++) {
        if (arena[base + w] !== bits[w]) {
          same = false;
          break;
        }
      }
      if (same && this.equal(this.states[e]!, state)) return false;
    }
    if (this.count === this.keyA.length) this.grow();
    const e = this.count++;
    this.arena.set(bits, e * words);
    this.keyA[e] = hashA;
    this.keyB[e] = hashB;
    this.stateHash[e] = stateHash;
    this.states.push(state);
    this.chain[e] = this.buckets[slot]!;
    this.buckets[slot] = e;
    if (this.count * 2 > this.buckets.length) this.rehash();
    return true;
  }

  private grow(): void {
    const capacity = this.keyA.length * 2;
    const arena = new Uint32Array(capacity * this.words);
    arena.set(this.arena);
    this.arena = arena;
    this.keyA = grown(this.keyA, capacity);
    this.keyB = grown(this.keyB, capacity);
    this.stateHash = grown(this.stateHash, capacity);
    this.chain = grown(this.chain, capacity);
  }

  private rehash(): void {
    const buckets = new Int32Array(this.buckets.length * 2).fill(EMPTY);
    const mask = buckets.length - 1;
    for (let e = 0; e < this.count; e++) {
      const slot = bucketOf(this.keyA[e]!, this.stateHash[e]!) & mask;
      this.chain[e] = buckets[slot]!;
      buckets[slot] = e;
    }
    this.buckets = buckets;
  }
}

function bucketOf(hashA: number, stateHash: number): number {
  const h = Math.imul(hashA ^ Math.imul(stateHash, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

function grown(array: Int32Array, capacity: number): Int32Array {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
