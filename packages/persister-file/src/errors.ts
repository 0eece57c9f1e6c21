/** A stored file is damaged somewhere other than a torn tail: recovery stops rather than guess. */
export class CorruptFileError extends Error {
  override readonly name = "CorruptFileError";
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`corrupt ${file} at byte offset ${offset}: ${reason}`);
  }
}

/** A command or snapshot could not be encoded for storage. */
export class StorageEncodeError extends Error {
  override readonly name = "StorageEncodeError";
  constructor(what: string, cause: unknown) {
    super(`cannot encode ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The persister was used after close(), or after a write failed (its state on disk is unknown). */
export class PersisterClosedError extends Error {
  override readonly name = "PersisterClosedError";
}
