/**
 * Verbose mode: for every operation, the longest partial linearization (a prefix of the search stack seen
 * when the search had to backtrack) that contains it. Used to show how far a history gets before it fails.
 *
 * Updating every stack entry at every backtrack costs O(depth); `prefixMin` (the minimum recorded length
 * over stack positions 0..j) lets the common case, where nothing on the stack improves, cost O(1).
 */
export class LongestRecorder {
  private readonly bestLength: Int32Array;
  private readonly bestSeq: (Int32Array | undefined)[];
  private readonly prefixMin: Int32Array;

  constructor(operations: number) {
    this.bestLength = new Int32Array(operations);
    this.bestSeq = new Array<Int32Array | undefined>(operations).fill(undefined);
    this.prefixMin = new Int32Array(operations);
  }

  /** The search pushed `op` at stack position `position`. */
  pushed(position: number, op: number): void {
    const own = this.bestLength[op]!;
    const below = position === 0 ? own : this.prefixMin[position - 1]!;
    this.prefixMin[position] = Math.min(own, below);
  }

  /** The search is about to backtrack with `depth` operations on its stack. */
  backtracking(stackOps: Int32Array, depth: number): void {
    if (depth === 0 || this.prefixMin[depth - 1]! >= depth) return;
    let seq: Int32Array | undefined;
    let first = -1;
    for (let j = 0; j < depth; j++) {
      const op = stackOps[j]!;
      if (this.bestLength[op]! < depth) {
        seq ??= stackOps.slice(0, depth);
        this.bestLength[op] = depth;
        this.bestSeq[op] = seq;
        if (first < 0) first = j;
      }
    }
    for (let j = Math.max(first, 0); j < depth; j++) this.pushed(j, stackOps[j]!);
  }

  /** The search found a complete linearization: it is the longest for every operation. */
  completed(stackOps: Int32Array, depth: number): void {
    const seq = stackOps.slice(0, depth);
    this.bestLength.fill(depth);
    this.bestSeq.fill(seq);
  }

  /** Distinct partial linearizations (longest first) and, per operation, the index of its longest one or -1. */
  result(): { linearizations: number[][]; longest: number[] } {
    const index = new Map<Int32Array, number>();
    const distinct = [...new Set(this.bestSeq.filter((seq) => seq !== undefined))];
    distinct.sort((a, b) => b.length - a.length);
    for (const [i, seq] of distinct.entries()) index.set(seq, i);
    return {
      linearizations: distinct.map((seq) => Array.from(seq)),
      longest: this.bestSeq.map((seq) => (seq === undefined ? -1 : index.get(seq)!)),
    };
  }
}
