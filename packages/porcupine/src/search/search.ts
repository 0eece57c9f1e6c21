import type { CompleteModel } from "../model.js";
import type { Operation } from "../types.js";
import { StateCache } from "./cache.js";
import { buildEntryList, HEAD, NIL } from "./entries.js";
import { LinearizedSet } from "./linearized-set.js";
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
  /** Internal ids are positions in call order: `original[id]` is the index in `history`. */
  private readonly original: number[];
  private readonly linearized: LinearizedSet;
  private cache: StateCache<S> | undefined;
  private readonly stackNode: Int32Array;
  private readonly stackOp: Int32Array;
  private readonly stackState: (S | undefined)[];
  private readonly recorder: LongestRecorder | undefined;

  private node: number;
  private state: S;
  private depth = 0;

  constructor(
    private readonly model: CompleteModel<S, I, O>,
    readonly history: readonly Operation<I, O>[],
    recordLongest: boolean,
  ) {
    const n = history.length;
    this.original = history.map((_, i) => i).sort((a, b) => history[a]!.call - history[b]!.call || a - b);
    const ordered = this.original.map((i) => history[i]!);
    const list = buildEntryList(ordered);
    this.next = list.next;
    this.prev = list.prev;
    this.match = list.match;
    this.opOf = list.op;
    this.inputs = ordered.map((operation) => operation.input);
    this.outputs = ordered.map((operation) => operation.output);
    this.linearized = new LinearizedSet(n);
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
    const { next, prev, match, opOf, inputs, outputs, linearized, model, recorder } = this;
    const cache = this.cache!;
    const { stackNode, stackOp, stackState } = this;
    const step = model.step;
    const hash = model.hash;
    let node = this.node;
    let state = this.state;
    let depth = this.depth;
    let remaining = budget;
    let outcome: SearchStatus = "running";

    while (remaining-- > 0) {
      const returnNode = match[node]!;
      if (returnNode !== NIL) {
        const op = opOf[node]!;
        const result = step(state, inputs[op]!, outputs[op]!);
        if (result.ok) {
          linearized.add(op);
          if (cache.addIfAbsent(linearized, hash(result.state), result.state)) {
            stackNode[depth] = node;
            stackOp[depth] = op;
            stackState[depth] = state;
            if (recorder !== undefined) recorder.pushed(depth, op);
            depth++;
            state = result.state;
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
          linearized.remove(op);
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
        linearized.remove(op);
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
    if (outcome !== "running") this.finish(outcome);
    return this.status;
  }

  /** Verbose results: distinct partial linearizations and each operation's longest one. */
  partialLinearizations(): { linearizations: number[][]; longest: number[] } {
    if (this.recorder === undefined) return { linearizations: [], longest: this.history.map(() => -1) };
    const { linearizations, longest } = this.recorder.result();
    const byOriginal = new Array<number>(longest.length);
    for (let id = 0; id < longest.length; id++) byOriginal[this.original[id]!] = longest[id]!;
    return {
      linearizations: linearizations.map((sequence) => sequence.map((id) => this.original[id]!)),
      longest: byOriginal,
    };
  }

  private finish(outcome: "ok" | "illegal"): void {
    this.status = outcome;
    if (outcome === "ok") this.recorder?.completed(this.stackOp, this.depth);
    // Release the memo: a finished search only needs its verbose results.
    this.stackState.fill(undefined);
    this.cache = undefined;
  }
}
