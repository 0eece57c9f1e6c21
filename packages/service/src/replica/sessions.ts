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

/** A session as stored in a snapshot: `[clientId, seq, lastIndex, result]`. */
export type SessionRecord = [string, number, number, unknown];

/**
 * Exactly-once execution for any state machine. A client opens a session (a log entry), then
 * numbers its requests 1, 2, 3, ... with at most one outstanding: request `s` proves the client
 * has seen the replies to everything before `s`, so each session keeps only its newest result.
 *
 * Memory is bounded: at most `maxSessions` sessions; opening one more evicts the session whose
 * newest entry is oldest in the log. Every replica applies the same log, so every replica evicts
 * the same session at the same index, with no clock involved. A request from an evicted (or
 * never opened) session is refused as expired, never executed: that is why a session must be
 * opened explicitly — a retried first request could not otherwise be told from a new client.
 */
export class SessionTable {
  /** In least-recently-used order (a touched session is moved to the end). */
  readonly #sessions = new Map<string, Session>();
  readonly #maxSessions: number;

  constructor(maxSessions: number) {
    this.#maxSessions = maxSessions;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Executes request `seq` of `clientId` at most once: `run()` is called only for a new request,
   * at log `index`, and its result kept for a retry. The one place where any service (replicated
   * or single-server) decides duplicates.
   */
  execute<R>(clientId: string, seq: number, index: number, run: () => R): SessionOutcome<R> {
    const verdict = this.check(clientId, seq);
    switch (verdict.kind) {
      case "new": {
        const result = run();
        this.record(clientId, seq, result, index);
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
  acknowledge(clientId: string, seq: number): void {
    const session = this.#sessions.get(clientId);
    if (session === undefined || seq <= session.seq) return;
    session.seq = seq;
    session.result = undefined;
  }

  /** Opens (or refreshes) `clientId`'s session at log `index`, evicting the oldest beyond the bound. */
  open(clientId: string, index: number): void {
    const session = this.#sessions.get(clientId);
    if (session) {
      this.#touch(clientId, session, index);
      return;
    }
    // A new session keeps its own copy of the id, not a slice of the message it arrived in.
    this.#sessions.set(ownString(clientId), { seq: 0, result: undefined, lastIndex: index });
    if (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value as string;
      this.#sessions.delete(oldest);
    }
  }

  /** Whether request `seq` of `clientId` is to be executed, answered from the cache, or refused. */
  check(clientId: string, seq: number): SessionVerdict {
    const session = this.#sessions.get(clientId);
    if (!session) return { kind: "expired" };
    if (seq > session.seq) return { kind: "new" };
    if (seq === session.seq) return { kind: "duplicate", result: session.result };
    return { kind: "superseded" };
  }

  /** Records that request `seq` executed at `index` and returned `result`. */
  record(clientId: string, seq: number, result: unknown, index: number): void {
    const session = this.#sessions.get(clientId);
    if (!session) return;
    session.seq = seq;
    session.result = result;
    this.#touch(clientId, session, index);
  }

  /** Every session, least recently used first (the order is part of the replicated state). */
  records(): SessionRecord[] {
    const out: SessionRecord[] = [];
    for (const [id, s] of this.#sessions) out.push([id, s.seq, s.lastIndex, s.result]);
    return out;
  }

  /** Replaces every session with a snapshot's. */
  restore(records: readonly SessionRecord[]): void {
    this.#sessions.clear();
    for (const [id, seq, lastIndex, result] of records)
      this.#sessions.set(ownString(id), { seq, result, lastIndex });
  }

  #touch(clientId: string, session: Session, index: number): void {
    session.lastIndex = index;
    this.#sessions.delete(clientId);
    this.#sessions.set(clientId, session);
  }
}
