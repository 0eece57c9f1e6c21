import type { CheckResult, Operation } from "./types.js";

/** What the checker found in one partition (verbose mode). */
export interface PartitionInfo<I, O> {
  /** From `Model.describePartition`, e.g. the key. */
  label: string;
  /**
   * This partition's own answer. `unknown` means it was not decided: the timeout fired, or another
   * partition was found illegal first and the search stopped.
   */
  result: CheckResult;
  /** The partition's operations; indices into this array are the operation ids used below. */
  operations: Operation<I, O>[];
  /** Distinct partial linearizations (operation ids in linearization order), longest first. */
  linearizations: number[][];
  /** For each operation, the index in `linearizations` of the longest one containing it, or -1. */
  longest: number[];
}

/** Everything `visualize` needs: the overall result and, per partition, the partial linearizations. */
export interface LinearizationInfo<I = unknown, O = unknown> {
  result: CheckResult;
  partitions: PartitionInfo<I, O>[];
}

/** The answer of a verbose check. */
export interface VerboseResult<I, O> {
  result: CheckResult;
  info: LinearizationInfo<I, O>;
}
