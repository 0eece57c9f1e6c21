import { mix32 } from "../hash.js";
import type { CompleteModel } from "../model.js";
import type { Operation } from "../types.js";
import { StateCache } from "./cache.js";
import { buildEntryList, HEAD, NIL } from "./entries.js";
import { LongestRecorder } from "./longest.js";

export type SearchStatus = "running" | "ok" | "illegal";

/**
 * Wing & Gong's backtracking search with Lowe's memoisation over one partition, written so that it can be
 * run a slice at a time (`run(budget)`): the scheduler interleaves partitions and enforces the timeout.
 *
 * Each step looks at one list node. At a call, try to linearize the operation now (the model accepts it and
 * the resulting (linearized set, state) pair is new): then lift it out of the list and restart from the head.
 * At a return, the operation had to take effect already, so backtrack: undo the last linearized operation
 * and try the call after it. An empty list means every operation is linearized.
 */
export class PartitionSearch<S, I, O> {
  status: SearchStatus = "running";
  /** Loop iterations so far. */
  steps = 0;

  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly match: Int32Array;
  private readonly opOf: Int32Array;
  private readonly inputs: I[];
  private readonly outputs: O[];
  private readonly zobristA: Int32Array;
  private readonly zobristB: Int32Array;
  private readonly bits: Uint32Array;
  private cache: StateCache<S> | undefined;
  private readonly stackNode: Int32Array;
  private readonly stackOp: Int32Array;
  private readonly stackState: (S | undefined)[];
  private readonly recorder: LongestRecorder | undefined;

  private node: number;
  private state: S;
  private depth = 0;
  private hashA = 0;
  private hashB = 0;

  constructor(
    private readonly model: CompleteModel<S, I, O>,
    readonly history: readonly Operation<I, O>[],
    recordLongest: boolean,
  ) {
    const n = history.length;
    const list = buildEntryList(history);
    this.next = list.next;
    this.prev = list.prev;
    this.match = list.match;
    this.opOf = list.op;
    this.inputs = history.map((operation) => operation.input);
    this.outputs = history.map((operation) => operation.output);
    this.zobristA = new Int32Array(n);
    this.zobristB = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.zobristA[i] = mix32(Math.imul(i + 1, 0x9e3779b9));
      this.zobristB[i] = mix32(Math.imul(i + 1, 0x7feb352d) ^ 0x68e31da4);
    }
    this.bits = new Uint32Array(Math.max(1, Math.ceil(n / 32)));
    this.cache = new StateCache<S>(n, model.equal);
    this.stackNode = new Int32Array(n);
    this.stackOp = new Int32Array(n);
    this.stackState = new Array<S | undefined>(n).fill(undefined);
    this.recorder = recordLongest ? new LongestRecorder(n) : undefined;
    this.state = model.init();
    this.node = this.next[HEAD]!;
    if (this.node === NIL) this.finish("ok");
  }

  /** Number of memoised (linearized set, state) pairs. */
  get cacheSize(): number {
    return this.cache?.size ?? 0;
  }

  /** Runs at most `budget` steps; returns the status afterwards. */
  run(budget: number): SearchStatus {
    if (this.status !== "running") return this.status;
    const { next, prev, match, opOf, inputs, outputs, zobristA, zobristB, bits, model, recorder } = this;
    const cache = this.cache!;
    const { stackNode, stackOp, stackState } = this;
    const step = model.step;
    const hash = model.hash;
    let node = this.node;
    let state = this.state;
    let depth = this.depth;
    let hashA = this.hashA;
    let hashB = this.hashB;
    let remaining = budget;
    let outcome: SearchStatus = "running";

    while (remaining-- > 0) {
      const returnNode = match[node]!;
      if (returnNode !== NIL) {
        const op = opOf[node]!;
        const result = step(state, inputs[op]!, outputs[op]!);
        if (result.ok) {
          const word = op >>> 5;
          const bit = 1 << (op & 31);
          const nextA = hashA ^ zobristA[op]!;
          const nextB = hashB ^ zobristB[op]!;
          bits[word]! |= bit;
          if (cache.addIfAbsent(bits, nextA, nextB, hash(result.state), result.state)) {
            stackNode[depth] = node;
            stackOp[depth] = op;
            stackState[depth] = state;
            if (recorder !== undefined) recorder.pushed(depth, op);
            depth++;
            state = result.state;
            hashA = nextA;
            hashB = nextB;
            // Lift the call and its return out of the list; a call always has a successor (its return).
            next[prev[node]!] = next[node]!;
            prev[next[node]!] = prev[node]!;
            const afterReturn = next[returnNode]!;
            next[prev[returnNode]!] = afterReturn;
            if (afterReturn !== NIL) prev[afterReturn] = prev[returnNode]!;
            node = next[HEAD]!;
            if (node === NIL) {
              outcome = "ok";
              break;
            }
            continue;
          }
          bits[word]! &= ~bit;
        }
        node = next[node]!;
      } else {
        if (depth === 0) {
          outcome = "illegal";
          break;
        }
        if (recorder !== undefined) recorder.backtracking(stackOp, depth);
        depth--;
        node = stackNode[depth]!;
        state = stackState[depth]!;
        stackState[depth] = undefined;
        const op = stackOp[depth]!;
        bits[op >>> 5]! &= ~(1 << (op & 31));
        hashA ^= zobristA[op]!;
        hashB ^= zobristB[op]!;
        // Unlift, in the reverse order of lifting.
        const call = node;
        const ret = match[call]!;
        const afterReturn = next[ret]!;
        if (afterReturn !== NIL) prev[afterReturn] = ret;
        next[prev[ret]!] = ret;
        prev[next[call]!] = call;
        next[prev[call]!] = call;
        node = next[call]!;
      }
    }

    this.steps += budget - Math.max(remaining, 0);
    this.node = node;
    this.state = state;
    this.depth = depth;
    this.hashA = hashA;
    this.hashB = hashB;
    if (outcome !== "running") this.finish(outcome);
    return this.status;
  }

  /** Verbose results: distinct partial linearizations and each operation's longest one. */
  partialLinearizations(): { linearizations: number[][]; longest: number[] } {
    if (this.recorder === undefined) return { linearizations: [], longest: this.history.map(() => -1) };
    return this.recorder.result();
  }

  private finish(outcome: "ok" | "illegal"): void {
    this.status = outcome;
    if (outcome === "ok") this.recorder?.completed(this.stackOp, this.depth);
    // Release the memo: a finished search only needs its verbose results.
    this.stackState.fill(undefined);
    this.cache = undefined;
  }
}
