import { InvalidOperationError } from "./errors.js";
import { eventsToOperations } from "./events.js";
import type { LinearizationInfo, VerboseResult } from "./info.js";
import { type CompleteModel, completeModel, type Model } from "./model.js";
import { schedule } from "./search/scheduler.js";
import { PartitionSearch } from "./search/search.js";
import type { CheckOptions, CheckResult, Event, Operation } from "./types.js";
import { validateOperations } from "./validate.js";

/**
 * Is the history linearizable with respect to the model? `unknown` only if `options.timeout` (ms) fired
 * first. Throws a `HistoryError` for a malformed history.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  return checkOperationsVerboseImpl(model, history, options, false).result;
}

/** Like `checkOperations`, plus the partial linearizations that `visualize` draws. */
export function checkOperationsVerbose<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions = {},
): VerboseResult<I, O> {
  return checkOperationsVerboseImpl(model, history, options, true);
}

/** `checkOperations` for the event form of a history (list positions are the timestamps). */
export function checkEvents<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  return checkEventsImpl(model, history, options, false).result;
}

/** `checkOperationsVerbose` for the event form of a history. */
export function checkEventsVerbose<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: CheckOptions = {},
): VerboseResult<I, O> {
  return checkEventsImpl(model, history, options, true);
}

function checkOperationsVerboseImpl<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions,
  verbose: boolean,
): VerboseResult<I, O> {
  const deadline = deadlineOf(options);
  validateOperations(history);
  const complete = completeModel(model);
  validateForModel(complete, history);
  return checkPartitions(complete, complete.partition(history), deadline, verbose);
}

function checkEventsImpl<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: CheckOptions,
  verbose: boolean,
): VerboseResult<I, O> {
  const deadline = deadlineOf(options);
  const operations = eventsToOperations(history); // validates the whole history, whatever the partitioning
  const complete = completeModel(model);
  validateForModel(complete, operations);
  const parts =
    complete.partitionEvent === undefined
      ? complete.partition(operations)
      : complete.partitionEvent(history).map((part) => eventsToOperations(part));
  return checkPartitions(complete, parts, deadline, verbose);
}

function checkPartitions<S, I, O>(
  model: CompleteModel<S, I, O>,
  parts: Operation<I, O>[][],
  deadline: number,
  verbose: boolean,
): VerboseResult<I, O> {
  const searches = parts.map((part) => new PartitionSearch(model, part, verbose));
  const { result, results } = schedule(searches, deadline, verbose);
  const info: LinearizationInfo<I, O> = {
    result,
    partitions: verbose
      ? searches.map((search, index) => ({
          label: model.describePartition(parts[index]!, index),
          result: results[index]!,
          operations: parts[index]!,
          ...search.partialLinearizations(),
        }))
      : [],
  };
  return { result, info };
}

function validateForModel<S, I, O>(model: CompleteModel<S, I, O>, history: Operation<I, O>[]): void {
  for (let i = 0; i < history.length; i++) {
    const operation = history[i]!;
    const problem = model.validateOperation(operation.input, operation.output);
    if (problem !== undefined) throw new InvalidOperationError(model.name, i, problem);
  }
}

function deadlineOf(options: CheckOptions): number {
  const timeout = options.timeout ?? 0;
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0) {
    throw new RangeError(`timeout must be a non-negative number of milliseconds, got ${String(timeout)}`);
  }
  return timeout === 0 || timeout === Number.POSITIVE_INFINITY ? 0 : performance.now() + timeout;
}
