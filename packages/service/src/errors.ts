/**
 * Every error of the service layer is a `ServiceError` with a stable `code`. The same codes travel
 * on the wire (see wire.ts), so a client rebuilds the server's error as the same class.
 */
export type ServiceErrorCode =
  | "NOT_LEADER"
  | "LEADERSHIP_LOST"
  | "TIMEOUT"
  | "SESSION_EXPIRED"
  | "SUPERSEDED"
  | "TOO_LARGE"
  | "OVERLOADED"
  | "WRONG_SERVER"
  | "UNKNOWN_METHOD"
  | "MALFORMED"
  | "CLOSED"
  | "NO_QUORUM"
  | "PROTOCOL"
  | "CONFIG"
  | "SNAPSHOT_FORMAT"
  | "CHANGE_PENDING"
  | "CHANGE_REFUSED"
  | "MEMBER_ID_REMOVED";

/** Base class: `code` is stable across versions; match on it (or on the class), not on the message. */
export class ServiceError extends Error {
  override readonly name: string = "ServiceError";
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** This replica is not the leader; `leaderId` is the one it knows of, if any. Nothing was proposed. */
export class NotLeaderError extends ServiceError {
  override readonly name = "NotLeaderError";
  constructor(readonly leaderId: number | undefined) {
    super(
      "NOT_LEADER",
      leaderId === undefined
        ? "this replica is not the leader and knows no leader yet: retry on another replica"
        : `this replica is not the leader: retry on replica ${leaderId}`,
    );
  }
}

/**
 * The replica lost leadership (or its log was replaced by a snapshot) before the entry applied
 * here. The command may still take effect, once: its outcome is unknown.
 */
export class LeadershipLostError extends ServiceError {
  override readonly name = "LeadershipLostError";
  constructor(readonly index: number) {
    super(
      "LEADERSHIP_LOST",
      `leadership was lost before entry ${index} applied here: its outcome is unknown`,
    );
  }
}

/** The entry did not commit in time (a majority may be unreachable). Its outcome is unknown. */
export class SubmitTimeoutError extends ServiceError {
  override readonly name = "SubmitTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(
      "TIMEOUT",
      `not committed within ${timeoutMs} ms (is a majority reachable?): its outcome is unknown`,
    );
  }
}

/** The client's session was evicted (too many clients) or never opened: open a new one. */
export class SessionExpiredError extends ServiceError {
  override readonly name = "SessionExpiredError";
  /** The session (a replicated service's number, or kvsrv's client id). */
  constructor(readonly sessionId: number | string) {
    super(
      "SESSION_EXPIRED",
      `session ${sessionId} is not open (expired after too many newer clients, or never opened): open a new session`,
    );
  }
}

/** A newer request of the same session was already seen: two clients share one session. */
export class SupersededError extends ServiceError {
  override readonly name = "SupersededError";
  constructor(
    readonly sessionId: number | string,
    readonly seq: number,
  ) {
    super(
      "SUPERSEDED",
      `request ${seq} of session ${sessionId} was superseded by a newer one: is the session shared?`,
    );
  }
}

/** A command larger than the replica accepts; it was not proposed. */
export class ValueTooLargeError extends ServiceError {
  override readonly name = "ValueTooLargeError";
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      "TOO_LARGE",
      `value too large: ${sizeBytes} bytes, limit ${limitBytes}: split it or raise the limit`,
    );
  }
}

/**
 * The leader refused the command because too much of what it proposed waits for a quorum (raft's
 * `maxUncommittedBytes`: its followers are slow or unreachable). Nothing was proposed; retry
 * shortly — a ServiceClient does, with a growing pause, until its timeout.
 */
export class OverloadedError extends ServiceError {
  override readonly name = "OverloadedError";
  constructor(
    readonly uncommittedBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      "OVERLOADED",
      `leader overloaded: ${uncommittedBytes} bytes of proposals wait for a quorum (limit ${limitBytes}); nothing was proposed: retry shortly`,
    );
  }
}

/** The server refused the request: it belongs to another cluster, or is another member than addressed. */
export class WrongServerError extends ServiceError {
  override readonly name = "WrongServerError";
  constructor(reason: string) {
    super("WRONG_SERVER", `refused by the server: ${reason}: check the cluster name and member addresses`);
  }
}

/** The server does not serve this method. */
export class UnknownMethodError extends ServiceError {
  override readonly name = "UnknownMethodError";
  constructor(
    readonly method: string,
    readonly methods: readonly string[] = [],
  ) {
    super(
      "UNKNOWN_METHOD",
      `refused by the server: unknown method ${method}${methods.length ? ` (it serves ${methods.join(", ")})` : ""}`,
    );
  }
}

/** A request or log entry that does not have the expected shape. */
export class MalformedRequestError extends ServiceError {
  override readonly name = "MalformedRequestError";
  constructor(reason: string) {
    super("MALFORMED", `malformed request: ${reason}`);
  }
}

/** The replica (or client) was closed. */
export class ServiceClosedError extends ServiceError {
  override readonly name = "ServiceClosedError";
  constructor(what = "the service") {
    super("CLOSED", `${what} is closed`);
  }
}

/** The client gave up: no leader with a reachable majority answered in time. `attempts` says what each server did. */
export class NoQuorumError extends ServiceError {
  override readonly name = "NoQuorumError";
  constructor(
    readonly timeoutMs: number,
    readonly attempts: Readonly<Record<number, string>>,
  ) {
    const what = Object.entries(attempts)
      .map(([server, outcome]) => `server ${server}: ${outcome}`)
      .join("; ");
    super("NO_QUORUM", `no quorum reachable within ${timeoutMs} ms (${what || "no server tried"})`);
  }
}

/** A reply this client does not understand (another version, or a bug). */
export class ServiceProtocolError extends ServiceError {
  override readonly name = "ServiceProtocolError";
  constructor(
    readonly method: string,
    readonly reply: unknown,
  ) {
    super("PROTOCOL", `unexpected reply to ${method}: ${describe(reply)}`);
  }
}

/** An option is out of range. */
export class ServiceConfigError extends ServiceError {
  override readonly name = "ServiceConfigError";
  constructor(message: string) {
    super("CONFIG", message);
  }
}

/** Snapshot bytes that the service layer did not write (corrupt, or another format). */
export class SnapshotFormatError extends ServiceError {
  override readonly name = "SnapshotFormatError";
  constructor(reason: string) {
    super("SNAPSHOT_FORMAT", `not a service snapshot: ${reason}`);
  }
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * A membership change refused for now: another change is not committed yet, the leader has not
 * committed an entry of its term, or the learner to promote is still catching up. Nothing was
 * proposed; a ServiceClient retries it until its timeout.
 */
export class MembershipChangePendingError extends ServiceError {
  override readonly name = "MembershipChangePendingError";
  constructor(reason: string) {
    super("CHANGE_PENDING", reason);
  }
}

/** A membership change that cannot apply (an unknown member, the last voter, ...): the message says why. */
export class MembershipChangeRefusedError extends ServiceError {
  override readonly name = "MembershipChangeRefusedError";
  constructor(reason: string) {
    super("CHANGE_REFUSED", reason);
  }
}

/** Adding an id that a change removed earlier: ids are never reused; add the member as `suggestedId`. */
export class MemberIdRemovedError extends ServiceError {
  override readonly name = "MemberIdRemovedError";
  constructor(
    readonly memberId: number,
    readonly suggestedId: number,
    message = `member ${memberId} was removed from this cluster and an id is never reused; pick a new id, for example ${suggestedId}`,
  ) {
    super("MEMBER_ID_REMOVED", message);
  }
}
