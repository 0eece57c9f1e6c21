/** A call named a service or method that the server does not have: a programming error. */
export class UnknownMethodError extends Error {
  override readonly name = "UnknownMethodError";
  constructor(
    readonly method: string,
    readonly valid: readonly string[],
  ) {
    super(`unknown RPC method "${method}"; valid methods: ${valid.length > 0 ? valid.join(", ") : "(none)"}`);
  }
}

/** The remote handler threw: a bug in the handler, reported to the caller rather than swallowed. */
export class RemoteHandlerError extends Error {
  override readonly name = "RemoteHandlerError";
  constructor(
    readonly method: string,
    cause: unknown,
  ) {
    super(`handler for "${method}" threw: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
