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

/**
 * The server answered a request of this client as "superseded": it has already seen a newer
 * request from the same client id. Two clerks are sharing one client id.
 */
export class SupersededRequestError extends Error {
  override readonly name = "SupersededRequestError";
  constructor(
    readonly clientId: string,
    readonly seq: number,
  ) {
    super(`request ${seq} of client ${clientId} was superseded by a newer one: is the client id shared?`);
  }
}

/** The server's reply was not one this clerk understands (another protocol version, or a bug). */
export class KvProtocolError extends Error {
  override readonly name = "KvProtocolError";
  constructor(
    readonly method: string,
    readonly reply: unknown,
  ) {
    super(`unexpected reply to ${method}: ${describe(reply)}`);
  }
}

/** A snapshot given to `restore()` is not one `snapshot()` produced. */
export class SnapshotFormatError extends Error {
  override readonly name = "SnapshotFormatError";
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}...` : text;
  } catch {
    return String(value);
  }
}
