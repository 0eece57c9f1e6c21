import type { LinearizationInfo, PartitionInfo } from "../info.js";
import { type CompleteModel, completeModel, type Model } from "../model.js";
import type { CheckResult } from "../types.js";

/** One operation as drawn: its lane, its horizontal extent in entry positions, and its text. */
export interface VisualOperation {
  lane: number;
  /** Position of the call / return among the partition's sorted entries (distinct integers). */
  start: number;
  end: number;
  call: number;
  return: number;
  description: string;
}

/**
 * Partial linearizations share prefixes (they are snapshots of one search stack), so they are stored as a
 * trie: node i linearizes operation `trieOp[i]` after node `trieParent[i]` (-1: the initial state) and leads
 * to the state `states[trieState[i]]`.
 */
export interface VisualPartition {
  label: string;
  result: CheckResult;
  lanes: string[];
  operations: VisualOperation[];
  initialState: number;
  trieParent: number[];
  trieOp: number[];
  trieState: number[];
  /** Trie node ending each partial linearization, longest first. */
  linearizations: number[];
  /** Per operation: index into `linearizations`, or -1. */
  longest: number[];
}

export interface VisualData {
  model: string;
  result: CheckResult;
  /** Distinct state descriptions, referenced by index. */
  states: string[];
  partitions: VisualPartition[];
}

/** Everything the page needs, computed in Node (the browser cannot run the model). */
export function buildVisualData<S, I, O>(model: Model<S, I, O>, info: LinearizationInfo<I, O>): VisualData {
  const complete = completeModel(model);
  const states = new StringTable();
  return {
    model: complete.name,
    result: info.result,
    states: states.values,
    partitions: info.partitions.map((partition) => buildPartition(complete, partition, states)),
  };
}

function buildPartition<S, I, O>(
  model: CompleteModel<S, I, O>,
  partition: PartitionInfo<I, O>,
  states: StringTable,
): VisualPartition {
  const { lanes, laneOf } = assignLanes(partition);
  const positions = entryPositions(partition);
  const operations = partition.operations.map((operation, i) => ({
    lane: laneOf[i]!,
    start: positions.start[i]!,
    end: positions.end[i]!,
    call: operation.call,
    return: operation.return,
    description: model.describeOperation(operation.input, operation.output),
  }));

  const trieParent: number[] = [];
  const trieOp: number[] = [];
  const trieState: number[] = [];
  const stateOfNode: S[] = [];
  const children = new Map<string, number>();
  const initial = model.init();
  const linearizations = partition.linearizations.map((sequence) => {
    let node = -1;
    let state = initial;
    for (const op of sequence) {
      const key = `${node}:${op}`;
      let child = children.get(key);
      if (child === undefined) {
        const operation = partition.operations[op]!;
        const next = model.step(state, operation.input, operation.output).state;
        child = trieParent.length;
        trieParent.push(node);
        trieOp.push(op);
        trieState.push(states.add(model.describeState(next)));
        stateOfNode.push(next);
        children.set(key, child);
      }
      node = child;
      state = stateOfNode[child]!;
    }
    return node;
  });

  return {
    label: partition.label,
    result: partition.result,
    lanes,
    operations,
    initialState: states.add(model.describeState(initial)),
    trieParent,
    trieOp,
    trieState,
    linearizations,
    longest: partition.longest,
  };
}

/** Lanes are clients when every operation names one; otherwise operations are packed greedily. */
function assignLanes<I, O>(partition: PartitionInfo<I, O>): { lanes: string[]; laneOf: number[] } {
  const operations = partition.operations;
  if (operations.every((operation) => operation.clientId !== undefined)) {
    const clients = [...new Set(operations.map((operation) => operation.clientId!))].sort((a, b) => a - b);
    const index = new Map(clients.map((client, i) => [client, i]));
    return {
      lanes: clients.map((client) => `client ${client}`),
      laneOf: operations.map((operation) => index.get(operation.clientId!)!),
    };
  }
  const order = operations.map((_, i) => i).sort((a, b) => operations[a]!.call - operations[b]!.call);
  const laneEnds: number[] = [];
  const laneOf = new Array<number>(operations.length).fill(0);
  for (const i of order) {
    const operation = operations[i]!;
    let lane = laneEnds.findIndex((end) => end < operation.call);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = operation.return;
    laneOf[i] = lane;
  }
  return { lanes: laneEnds.map((_, i) => `lane ${i}`), laneOf };
}

/** Calls and returns sorted as the checker sorts them (calls first on ties), numbered 0, 1, 2, … */
function entryPositions<I, O>(partition: PartitionInfo<I, O>): { start: number[]; end: number[] } {
  const operations = partition.operations;
  const entries: [time: number, kind: number, op: number][] = [];
  operations.forEach((operation, i) => {
    entries.push([operation.call, 0, i], [operation.return, 1, i]);
  });
  entries.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const start = new Array<number>(operations.length).fill(0);
  const end = new Array<number>(operations.length).fill(0);
  entries.forEach(([, kind, op], position) => {
    (kind === 0 ? start : end)[op] = position;
  });
  return { start, end };
}

class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  add(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.push(value) - 1;
      this.index.set(value, i);
    }
    return i;
  }
}
