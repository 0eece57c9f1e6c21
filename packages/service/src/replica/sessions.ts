import { ownString } from "./own-string.js";

/** One client's session: its newest executed request and that request's result. */
interface Session {
  /** The newest executed sequence number (0: opened, nothing executed yet). */
  seq: number;
  /** What executing `seq` returned; a retry of `seq` gets it again. */
  result: unknown;
  /** The log index of the session's newest open or command: expiry goes by it, never by a clock. */
  lastIndex: number;
}

/** What to do with a client's request `seq`. */
export type SessionVerdict =
  | { readonly kind: "new" }
  | { readonly kind: "duplicate"; readonly result: unknown }
  | { readonly kind: "superseded" }
  | { readonly kind: "expired" };

/** What became of request `seq` given to `execute`. */
export type SessionOutcome<R> =
  /** Executed now (`executed`) or earlier (`duplicate`, its first result again). */
  | { readonly kind: "executed" | "duplicate"; readonly result: R }
  /** Older than the client's newest request: the client stopped waiting for it; not executed. */
  | { readonly kind: "superseded" }
  /** No such session (never opened, or evicted): not executed. */
  | { readonly kind: "expired" };

/** A session as stored in a snapshot: `[id, seq, lastIndex, result]`. */
export type SessionRecord<Id extends SessionId = number> = [Id, number, number, unknown];

/**
 * What names a session: in a replicated service, the log index of the entry that opened it
 * (assigned by the cluster, unique forever, a few bytes on the wire); kvsrv's single server keeps
 * the string ids its clients make up.
 */
export type SessionId = number | string;

/**
 * Exactly-once execution for any state machine. A client opens a session (a log entry whose
 * index becomes the session's id), then numbers its requests 1, 2, 3, ... with at most one outstanding: request `s` proves the client
 * has seen the replies to everything before `s`, so each session keeps only its newest result.
 *
 * Memory is bounded: at most `maxSessions` sessions; opening one more evicts the session whose
 * newest entry is oldest in the log. Every replica applies the same log, so every replica evicts
 * the same session at the same index, with no clock involved. A request from an evicted (or
 * never opened) session is refused as expired, never executed: that is why a session must be
 * opened explicitly — a retried first request could not otherwise be told from a new client.
 */
export class SessionTable<Id extends SessionId = number> {
  /** In least-recently-used order (a touched session is moved to the end). */
  readonly #sessions = new Map<Id, Session>();
  /** The last key in `#sessions` (the most recently used): touching it again moves nothing. */
  #newest: Id | undefined;
  readonly #maxSessions: number;

  constructor(maxSessions: number) {
    this.#maxSessions = maxSessions;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Executes request `seq` of session `id` at most once: `run()` is called only for a new request,
   * at log `index`, and its result kept for a retry. The one place where any service (replicated
   * or single-server) decides duplicates.
   */
  execute<R>(id: Id, seq: number, index: number, run: () => R): SessionOutcome<R> {
    const verdict = this.check(id, seq);
    switch (verdict.kind) {
      case "new": {
        const result = run();
        this.record(id, seq, result, index);
        return { kind: "executed", result };
      }
      case "duplicate":
        return { kind: "duplicate", result: verdict.result as R };
      default:
        return verdict;
    }
  }

  /**
   * The client sent request `seq` that is not to be executed through its session (a read): it has
   * seen the reply to every earlier request, so the cached result is dropped, and a late retry of
   * an earlier request is superseded. Touches nothing else (a read does not refresh a session).
   */
  acknowledge(id: Id, seq: number): void {
    const session = this.#sessions.get(id);
    if (session === undefined || seq <= session.seq) return;
    session.seq = seq;
    session.result = undefined;
  }

  /**
   * Opens (or, if open, refreshes) session `id` at log `index`, evicting the oldest beyond the
   * bound. A replicated service opens session `index` at `index`.
   */
  open(id: Id, index: number): void {
    const session = this.#sessions.get(id);
    if (session) {
      this.#touch(id, session, index);
      return;
    }
    const key = own(id);
    this.#sessions.set(key, { seq: 0, result: undefined, lastIndex: index });
    this.#newest = key;
    if (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value as Id;
      this.#sessions.delete(oldest);
      if (oldest === this.#newest) this.#newest = undefined;
    }
  }

  /** Whether request `seq` of session `id` is to be executed, answered from the cache, or refused. */
  check(id: Id, seq: number): SessionVerdict {
    const session = this.#sessions.get(id);
    if (!session) return { kind: "expired" };
    if (seq > session.seq) return { kind: "new" };
    if (seq === session.seq) return { kind: "duplicate", result: session.result };
    return { kind: "superseded" };
  }

  /** Records that request `seq` executed at `index` and returned `result`. */
  record(id: Id, seq: number, result: unknown, index: number): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    session.seq = seq;
    session.result = result;
    this.#touch(id, session, index);
  }

  /** Every session, least recently used first (the order is part of the replicated state). */
  records(): SessionRecord<Id>[] {
    const out: SessionRecord<Id>[] = [];
    for (const [id, s] of this.#sessions) out.push([id, s.seq, s.lastIndex, s.result]);
    return out;
  }

  /** Replaces every session with a snapshot's. */
  restore(records: readonly SessionRecord<Id>[]): void {
    this.#sessions.clear();
    this.#newest = undefined;
    for (const [id, seq, lastIndex, result] of records) {
      const key = own(id);
      this.#sessions.set(key, { seq, result, lastIndex });
      this.#newest = key;
    }
  }

  /** Moves the session to the end (most recently used); a delete and set per request, unless it is there. */
  #touch(id: Id, session: Session, index: number): void {
    session.lastIndex = index;
    if (id === this.#newest) return;
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    this.#newest = id;
  }
}

/** A session keeps its own copy of a string id, not a slice of the message it arrived in. */
function own<Id extends SessionId>(id: Id): Id {
  return (typeof id === "string" ? ownString(id) : id) as Id;
}
