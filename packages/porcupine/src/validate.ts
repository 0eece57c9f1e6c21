import { InvalidTimeError, MissingReturnError, ReturnBeforeCallError } from "./errors.js";
import type { Operation } from "./types.js";

/** Throws a `HistoryError` for the first operation with a missing, non-finite or inverted interval. */
export function validateOperations<I, O>(history: readonly Operation<I, O>[]): void {
  if (!Array.isArray(history)) throw new TypeError("history must be an array of operations");
  for (let i = 0; i < history.length; i++) {
    const operation = history[i];
    if (typeof operation !== "object" || operation === null) {
      throw new TypeError(`operation ${i} must be an object, got ${String(operation)}`);
    }
    if (!Number.isFinite(operation.call)) throw new InvalidTimeError(i, "call", operation.call);
    if (operation.return === undefined || operation.return === null)
      throw new MissingReturnError(i, "operation");
    if (!Number.isFinite(operation.return)) throw new InvalidTimeError(i, "return", operation.return);
    if (operation.return < operation.call) {
      throw new ReturnBeforeCallError(i, operation.call, operation.return);
    }
  }
}
