/** Base of every error this package throws; `code` is stable across releases. */
export class PersisterError extends Error {
  override readonly name: string = "PersisterError";
  readonly code: string = "ERR_RAFTKIT_PERSISTER";
}

/**
 * A stored file is damaged somewhere other than a torn tail: recovery stops rather than guess,
 * and nothing on disk is changed, so an operator can look at (or copy) the files first.
 */
export class CorruptFileError extends PersisterError {
  override readonly name = "CorruptFileError";
  override readonly code = "ERR_RAFTKIT_CORRUPT_FILE";
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `corrupt ${file} at byte offset ${offset}: ${reason}. Nothing was changed on disk; keep a copy ` +
        "of the directory, then restore it from a backup or empty it so the member catches up from its peers",
    );
  }
}

/** A file written by an incompatible version of this package (a different format magic). */
export class UnsupportedFormatError extends PersisterError {
  override readonly name = "UnsupportedFormatError";
  override readonly code = "ERR_RAFTKIT_UNSUPPORTED_FORMAT";
  constructor(
    readonly file: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(
      `${file} has format ${JSON.stringify(found)}, but this version reads only ${JSON.stringify(expected)} ` +
        "(written by an older @raftkit/persister-file). Move the directory aside and start the member " +
        "empty so it catches up from its peers",
    );
  }
}

/** A command or snapshot could not be encoded for storage. */
export class StorageEncodeError extends PersisterError {
  override readonly name = "StorageEncodeError";
  override readonly code = "ERR_RAFTKIT_STORAGE_ENCODE";
  constructor(what: string, cause: unknown) {
    super(`cannot encode ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The persister was used after close(), or after a write failed (its state on disk is unknown). */
export class PersisterClosedError extends PersisterError {
  override readonly name = "PersisterClosedError";
  override readonly code = "ERR_RAFTKIT_PERSISTER_CLOSED";
}

/** A write stored fewer bytes than given and no more would go (disk full, file size limit). */
export class ShortWriteError extends PersisterError {
  override readonly name = "ShortWriteError";
  override readonly code = "ERR_RAFTKIT_SHORT_WRITE";
  constructor(
    readonly file: string,
    readonly expectedBytes: number,
    readonly writtenBytes: number,
  ) {
    super(
      `short write to ${file}: ${writtenBytes} of ${expectedBytes} bytes stored (disk full or a file size limit?). ` +
        "Free space or raise the limit, then restart the member: it recovers from what was durable",
    );
  }
}

/** Another live process holds the data directory: two members on one directory would corrupt it. */
export class DirectoryLockedError extends PersisterError {
  override readonly name = "DirectoryLockedError";
  override readonly code = "ERR_RAFTKIT_DIRECTORY_LOCKED";
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `data directory ${dir} is in use by process ${pid} (its LOCK file says so). Stop that process ` +
        "first, or give this one another data directory; if no such process is running, delete the LOCK file",
    );
  }
}
