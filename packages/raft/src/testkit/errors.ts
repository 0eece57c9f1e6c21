/** A cluster check failed: a safety violation, or agreement/election did not happen in time. */
export class HarnessError extends Error {
  override readonly name = "HarnessError";
}

/** The failure a FaultyStorage injects into a write: what the disk would have reported. */
export class StorageFaultError extends Error {
  override readonly name = "StorageFaultError";
  constructor(
    /** The errno a real disk gives: EIO (I/O error) or ENOSPC (disk full). */
    readonly code: StorageFaultCode,
    what: string,
  ) {
    super(`${code}: injected storage fault in ${what}`);
  }
}

export type StorageFaultCode = "EIO" | "ENOSPC";
