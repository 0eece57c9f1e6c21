import type { Operation } from "../types.js";

/** Marks the end of the list and "no match". */
export const NIL = -1;
/** Index of the sentinel head node. */
export const HEAD = 0;

/**
 * The call/return entries of one partition as a doubly linked list in typed arrays. Node 0 is the head
 * sentinel; nodes 1..2n are the entries sorted by time, calls before returns on equal timestamps.
 */
export interface EntryList {
  /** Number of operations. */
  size: number;
  next: Int32Array;
  prev: Int32Array;
  /** For a call node, its return node; NIL for a return node. */
  match: Int32Array;
  /** The operation index of each node. */
  op: Int32Array;
}

export function buildEntryList<I, O>(history: readonly Operation<I, O>[]): EntryList {
  const n = history.length;
  // Sort keys: time, then calls (0) before returns (1), then operation index for determinism.
  const order = new Array<number>(2 * n);
  for (let i = 0; i < 2 * n; i++) order[i] = i;
  const time = (entry: number): number => {
    const operation = history[entry >> 1]!;
    return (entry & 1) === 0 ? operation.call : operation.return;
  };
  order.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || (a >> 1) - (b >> 1));

  const nodes = 2 * n + 1;
  const next = new Int32Array(nodes);
  const prev = new Int32Array(nodes);
  const match = new Int32Array(nodes).fill(NIL);
  const op = new Int32Array(nodes).fill(NIL);
  const returnNode = new Int32Array(n);
  for (let k = 0; k < 2 * n; k++) {
    const entry = order[k]!;
    const node = k + 1;
    op[node] = entry >> 1;
    if ((entry & 1) === 1) returnNode[entry >> 1] = node;
  }
  for (let node = 1; node < nodes; node++) {
    if (op[node] !== NIL && returnNode[op[node]!] !== node) match[node] = returnNode[op[node]!]!;
  }
  for (let node = 0; node < nodes; node++) {
    next[node] = node + 1 < nodes ? node + 1 : NIL;
    prev[node] = node - 1;
  }
  return { size: n, next, prev, match, op };
}
