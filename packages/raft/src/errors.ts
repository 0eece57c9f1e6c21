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

/**
 * A proposed command is larger than `maxProposalBytes`: it was refused before anything was
 * written, and retrying it will not help.
 */
export class ProposalTooLargeError extends Error {
  override readonly name = "ProposalTooLargeError";
  readonly code = "ERR_RAFT_PROPOSAL_TOO_LARGE";
  constructor(
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(`value too large: ${bytes} bytes, limit ${limitBytes}; store smaller values (split it up)`);
  }
}

/**
 * The leader holds `maxUncommittedBytes` of proposals that a quorum has not stored yet (a slow or
 * missing majority): nothing was proposed. Retryable: try again once commits catch up.
 */
export class UncommittedLimitError extends Error {
  override readonly name = "UncommittedLimitError";
  readonly code = "ERR_RAFT_UNCOMMITTED_LIMIT";
  readonly retryable = true;
  constructor(
    readonly uncommittedBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `too much uncommitted data: ${uncommittedBytes} bytes wait for a quorum (limit ${limitBytes}); retry shortly`,
    );
  }
}
