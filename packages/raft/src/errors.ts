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
