/** Base class of every error about a malformed history: the checker refuses to answer rather than guess. */
export class HistoryError extends Error {
  override readonly name: string = "HistoryError";
}

/** An operation whose `call` or `return` is not a finite number. */
export class InvalidTimeError extends HistoryError {
  override readonly name = "InvalidTimeError";
  constructor(
    readonly index: number,
    readonly field: "call" | "return",
    readonly value: unknown,
  ) {
    super(`operation ${index}: ${field} time must be a finite number, got ${String(value)}`);
  }
}

/** An operation that returned before it was called. */
export class ReturnBeforeCallError extends HistoryError {
  override readonly name = "ReturnBeforeCallError";
  constructor(
    readonly index: number,
    readonly call: number,
    readonly returned: number,
  ) {
    super(`operation ${index} returns at ${returned}, before its call at ${call}`);
  }
}

/** A call event without a matching return event, or an operation without a return time. */
export class MissingReturnError extends HistoryError {
  override readonly name = "MissingReturnError";
  /** `id` is the call event's id, or the operation's index for the operation form. */
  constructor(
    readonly id: number,
    readonly form: "event" | "operation" = "event",
  ) {
    super(
      form === "event"
        ? `call with id ${id} has no matching return event; close every call before checking`
        : `operation ${id} has no return time; close every operation before checking`,
    );
  }
}

/** A return event whose id matches no open call. */
export class UnmatchedReturnError extends HistoryError {
  override readonly name = "UnmatchedReturnError";
  constructor(
    readonly id: number,
    readonly position: number,
  ) {
    super(`return event at position ${position} has id ${id}, which matches no open call`);
  }
}

/** A call event reusing the id of a call that has not returned yet. */
export class DuplicateCallError extends HistoryError {
  override readonly name = "DuplicateCallError";
  constructor(
    readonly id: number,
    readonly position: number,
  ) {
    super(`call event at position ${position} reuses id ${id} while that call is still open`);
  }
}

/** An event whose `kind` is neither "call" nor "return", or whose id is not a number. */
export class InvalidEventError extends HistoryError {
  override readonly name = "InvalidEventError";
  constructor(
    readonly position: number,
    detail: string,
  ) {
    super(`event at position ${position}: ${detail}`);
  }
}

/** An input or output that the model cannot interpret (an unknown op, a missing field). */
export class InvalidOperationError extends HistoryError {
  override readonly name = "InvalidOperationError";
  /**
   * `index` is the operation's index in the history; for the event form it counts operations in call
   * order and `eventPosition` is the position of the call event.
   */
  constructor(
    readonly model: string,
    readonly index: number,
    readonly detail: string,
    readonly eventPosition?: number,
  ) {
    super(
      eventPosition === undefined
        ? `${model} model, operation ${index}: ${detail}`
        : `${model} model, call event at position ${eventPosition}: ${detail}`,
    );
  }
}
