/** A configuration value is out of range (bad timeouts, bad peer id, ...). */
export class RaftConfigError extends Error {
  override readonly name = "RaftConfigError";
}

/** Persisted raft state could not be decoded: truncated, corrupted, or written by something else. */
export class CorruptStateError extends Error {
  override readonly name = "CorruptStateError";
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`corrupt persisted raft state: ${reason}`, options);
  }
}

/** An incoming RPC does not have the shape raft expects (a foreign or buggy sender). */
export class InvalidMessageError extends Error {
  override readonly name = "InvalidMessageError";
  constructor(
    readonly method: string,
    reason: string,
  ) {
    super(`invalid ${method} message: ${reason}`);
  }
}

/** The service asked for something raft cannot do (e.g. a snapshot past the committed index). */
export class RaftUsageError extends Error {
  override readonly name = "RaftUsageError";
}

/** A proposed command cannot cross the wire (a function, a symbol, a cycle, ...): nothing was proposed. */
export class UnencodableCommandError extends Error {
  override readonly name = "UnencodableCommandError";
  readonly code = "ERR_RAFT_UNENCODABLE_COMMAND";
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot encode the command (${reason}); propose plain data: numbers, strings, booleans, null, arrays, plain objects, Uint8Array`,
      { cause },
    );
  }
}
