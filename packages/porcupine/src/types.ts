/** One completed operation: its input, its output, and when it was called and when it returned. */
export interface Operation<I, O> {
  /** The client that issued the operation (zero-based); only used to lay out the visualisation. */
  clientId?: number;
  input: I;
  /** Invocation time. Any unit, as long as every operation of a history uses the same one. */
  call: number;
  output: O;
  /** Response time; must not be earlier than `call`. Equal timestamps count as concurrent. */
  return: number;
}

/** The call half of an operation in the event form of a history. */
export interface CallEvent<I> {
  clientId?: number;
  kind: "call";
  value: I;
  /** Pairs this call with its return event. */
  id: number;
}

/** The return half of an operation in the event form of a history. */
export interface ReturnEvent<O> {
  clientId?: number;
  kind: "return";
  value: O;
  id: number;
}

/**
 * A history as a time-ordered list of call and return events, paired by `id`.
 * The position in the list is the only notion of time.
 */
export type Event<I, O> = CallEvent<I> | ReturnEvent<O>;

/** `unknown` only when the timeout fired before every partition was decided. */
export type CheckResult = "ok" | "illegal" | "unknown";

export interface CheckOptions {
  /** Milliseconds; 0 or absent means no timeout. A timeout can only turn an answer into `unknown`. */
  timeout?: number;
}

export interface AsyncCheckOptions extends CheckOptions {
  /** Stops the check like a timeout: the answer is `unknown` unless a partition was already illegal. */
  signal?: AbortSignal;
  /** How long to search before yielding to the event loop, in ms (default 10). */
  yieldEveryMs?: number;
}
