import { InvalidOperationError } from "./errors.js";
import { eventsToOperations } from "./events.js";
import type { LinearizationInfo, VerboseResult } from "./info.js";
import { type CompleteModel, completeModel, type Model } from "./model.js";
import { type ScheduleOutcome, schedule, scheduleAsync } from "./search/scheduler.js";
import { PartitionSearch } from "./search/search.js";
import type { AsyncCheckOptions, CheckOptions, CheckResult, Event, Operation } from "./types.js";
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
  return runSync(prepareOperations(model, history, options, false)).result;
}

/** Like `checkOperations`, plus the partial linearizations that `visualize` draws. */
export function checkOperationsVerbose<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions = {},
): VerboseResult<I, O> {
  return runSync(prepareOperations(model, history, options, true));
}

/** `checkOperations` for the event form of a history (list positions are the timestamps). */
export function checkEvents<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  return runSync(prepareEvents(model, history, options, false)).result;
}

/** `checkOperationsVerbose` for the event form of a history. */
export function checkEventsVerbose<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: CheckOptions = {},
): VerboseResult<I, O> {
  return runSync(prepareEvents(model, history, options, true));
}

/**
 * `checkOperations` that yields to the event loop every few milliseconds, so timers and I/O keep running
 * during a long check; `options.signal` stops it like a timeout. Same answers as the synchronous form.
 */
export async function checkOperationsAsync<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: AsyncCheckOptions = {},
): Promise<CheckResult> {
  return (await runAsync(prepareOperations(model, history, options, false), options)).result;
}

/** `checkOperationsVerbose` that yields to the event loop (see `checkOperationsAsync`). */
export async function checkOperationsVerboseAsync<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: AsyncCheckOptions = {},
): Promise<VerboseResult<I, O>> {
  return runAsync(prepareOperations(model, history, options, true), options);
}

/** `checkEvents` that yields to the event loop (see `checkOperationsAsync`). */
export async function checkEventsAsync<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: AsyncCheckOptions = {},
): Promise<CheckResult> {
  return (await runAsync(prepareEvents(model, history, options, false), options)).result;
}

/** `checkEventsVerbose` that yields to the event loop (see `checkOperationsAsync`). */
export async function checkEventsVerboseAsync<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: AsyncCheckOptions = {},
): Promise<VerboseResult<I, O>> {
  return runAsync(prepareEvents(model, history, options, true), options);
}

/** A validated, partitioned check, ready to run. */
interface Prepared<S, I, O> {
  model: CompleteModel<S, I, O>;
  parts: Operation<I, O>[][];
  searches: PartitionSearch<S, I, O>[];
  deadline: number;
  verbose: boolean;
}

function prepareOperations<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions,
  verbose: boolean,
): Prepared<S, I, O> {
  const deadline = deadlineOf(options);
  validateOperations(history);
  const complete = completeModel(model);
  validateForModel(complete, history, false);
  return prepared(complete, complete.partition(history), deadline, verbose);
}

function prepareEvents<S, I, O>(
  model: Model<S, I, O>,
  history: Event<I, O>[],
  options: CheckOptions,
  verbose: boolean,
): Prepared<S, I, O> {
  const deadline = deadlineOf(options);
  const operations = eventsToOperations(history); // validates the whole history, whatever the partitioning
  const complete = completeModel(model);
  validateForModel(complete, operations, true);
  const parts =
    complete.partitionEvent === undefined
      ? complete.partition(operations)
      : complete.partitionEvent(history).map((part) => eventsToOperations(part));
  return prepared(complete, parts, deadline, verbose);
}

function prepared<S, I, O>(
  model: CompleteModel<S, I, O>,
  parts: Operation<I, O>[][],
  deadline: number,
  verbose: boolean,
): Prepared<S, I, O> {
  const searches = parts.map((part) => new PartitionSearch(model, part, verbose));
  return { model, parts, searches, deadline, verbose };
}

function runSync<S, I, O>(check: Prepared<S, I, O>): VerboseResult<I, O> {
  return finish(check, schedule(check.searches, check.deadline, check.verbose));
}

async function runAsync<S, I, O>(
  check: Prepared<S, I, O>,
  options: AsyncCheckOptions,
): Promise<VerboseResult<I, O>> {
  const chunkMs = options.yieldEveryMs ?? 10;
  if (typeof chunkMs !== "number" || !(chunkMs > 0)) {
    throw new RangeError(`yieldEveryMs must be a positive number of milliseconds, got ${String(chunkMs)}`);
  }
  const outcome = await scheduleAsync(check.searches, check.deadline, check.verbose, chunkMs, options.signal);
  return finish(check, outcome);
}

function finish<S, I, O>(check: Prepared<S, I, O>, outcome: ScheduleOutcome): VerboseResult<I, O> {
  const { model, parts, searches, verbose } = check;
  const info: LinearizationInfo<I, O> = {
    result: outcome.result,
    partitions: verbose
      ? searches.map((search, index) => ({
          label: model.describePartition(parts[index]!, index),
          result: outcome.results[index]!,
          operations: parts[index]!,
          ...search.partialLinearizations(),
        }))
      : [],
  };
  return { result: outcome.result, info };
}

/** `fromEvents`: the operations came from `eventsToOperations`, so `call` is the call event's position. */
function validateForModel<S, I, O>(
  model: CompleteModel<S, I, O>,
  history: Operation<I, O>[],
  fromEvents: boolean,
): void {
  for (let i = 0; i < history.length; i++) {
    const operation = history[i]!;
    const problem = model.validateOperation(operation.input, operation.output);
    if (problem !== undefined) {
      throw new InvalidOperationError(model.name, i, problem, fromEvents ? operation.call : undefined);
    }
  }
}

function deadlineOf(options: CheckOptions): number {
  const timeout = options.timeout ?? 0;
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0) {
    throw new RangeError(`timeout must be a non-negative number of milliseconds, got ${String(timeout)}`);
  }
  return timeout === 0 || timeout === Number.POSITIVE_INFINITY ? 0 : performance.now() + timeout;
}
