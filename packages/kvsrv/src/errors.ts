/** A command (or request) is missing a field, or a field has the wrong type. */
export class MalformedCommandError extends Error {
  override readonly name = "MalformedCommandError";
  constructor(
    /** The offending field, or `""` when the command itself is not an object. */
    readonly field: string,
    /** What was expected, e.g. `"a string"`. */
    readonly expected: string,
    message?: string,
  ) {
    super(
      message ??
        `malformed command: ${field === "" ? "the command" : `field "${field}"`} must be ${expected}`,
    );
  }
}

/** A snapshot given to `restore()` is not one `snapshot()` produced. */
export class SnapshotFormatError extends Error {
  override readonly name = "SnapshotFormatError";
}
