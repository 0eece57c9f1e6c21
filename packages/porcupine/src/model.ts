import { structuralEqual, structuralHash } from "./structural.js";
import type { Event, Operation } from "./types.js";

/** What a model's `step` returns: whether the operation is legal in `state`, and the state after it. */
export interface StepResult<S> {
  ok: boolean;
  state: S;
}

/**
 * A sequential specification. Every function must be pure: `step` must never mutate the state it is given,
 * because the checker keeps old states to backtrack to.
 */
export interface Model<S, I, O> {
  /** Shown in error messages and in the visualisation. */
  name?: string;
  /** The initial state. */
  init(): S;
  /** Is `input` answered by `output` legal in `state`, and what is the state afterwards? */
  step(state: S, input: I, output: O): StepResult<S>;
  /**
   * Return a message if the model cannot interpret this operation (an unknown op, a missing field); the
   * checker then throws `InvalidOperationError` instead of answering. Runs once per operation, up front.
   */
  validateOperation?(input: I, output: O): string | undefined;
  /** State equality. Default: structural equality of plain data (`structuralEqual`). */
  equal?(a: S, b: S): boolean;
  /**
   * A 32-bit hash consistent with `equal`; it only speeds up the search. Default: `structuralHash` when
   * `equal` is also defaulted, otherwise a constant (correct, but every state lands in the same bucket).
   */
  hash?(state: S): number;
  /** Split a history into independent parts; the history is linearizable iff every part is. */
  partition?(history: Operation<I, O>[]): Operation<I, O>[][];
  /** The same for the event form. Default: convert to operations and use `partition`. */
  partitionEvent?(history: Event<I, O>[]): Event<I, O>[][];
  /** A label for a partition in the visualisation (e.g. its key). */
  describePartition?(history: Operation<I, O>[]): string;
  describeOperation?(input: I, output: O): string;
  describeState?(state: S): string;
}

/** A model with every optional function filled in. */
export interface CompleteModel<S, I, O> {
  name: string;
  init(): S;
  step(state: S, input: I, output: O): StepResult<S>;
  validateOperation(input: I, output: O): string | undefined;
  equal(a: S, b: S): boolean;
  hash(state: S): number;
  partition(history: Operation<I, O>[]): Operation<I, O>[][];
  partitionEvent: ((history: Event<I, O>[]) => Event<I, O>[][]) | undefined;
  describePartition(history: Operation<I, O>[], index: number): string;
  describeOperation(input: I, output: O): string;
  describeState(state: S): string;
}

/** Identity helper that lets TypeScript infer `S`, `I` and `O` for a model literal. */
export function defineModel<S, I, O>(model: Model<S, I, O>): Model<S, I, O> {
  return model;
}

/** Fill in the defaults of every optional model function. */
export function completeModel<S, I, O>(model: Model<S, I, O>): CompleteModel<S, I, O> {
  const equal = model.equal ?? structuralEqual;
  const hash = model.hash ?? (model.equal === undefined ? structuralHash : () => 0);
  const partition = model.partition ?? ((history: Operation<I, O>[]) => [history]);
  const describePartition = model.describePartition;
  return {
    name: model.name ?? "model",
    init: () => model.init(),
    step: (state, input, output) => model.step(state, input, output),
    validateOperation: (input, output) => model.validateOperation?.(input, output),
    equal: (a, b) => equal(a, b),
    hash: (state) => hash(state) | 0,
    partition: (history) => partition(history),
    partitionEvent: model.partitionEvent?.bind(model),
    describePartition: (history, index) =>
      describePartition === undefined ? `partition ${index}` : describePartition.call(model, history),
    describeOperation: (input, output) =>
      model.describeOperation?.(input, output) ?? `${describeValue(input)} → ${describeValue(output)}`,
    describeState: (state) => model.describeState?.(state) ?? describeValue(state),
  };
}

/** A short human-readable rendering of any value, used by the default describers. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Map) return `Map(${describeValue([...value.entries()])})`;
  if (value instanceof Set) return `Set(${describeValue([...value.values()])})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
