/**
 * The interfaces raft sits behind. raft knows nothing of what it replicates (StateMachine), how
 * bytes travel (Transport), where state is kept (Persister) or what time it is (Clock, Random).
 * Implementations satisfy them structurally: labrpc and transport-tcp do not import this package.
 */

import type { SnapshotMeta } from "./types.js";

/** A scheduled callback that can be cancelled before it fires. */
export interface Timer {
  cancel(): void;
}

/** Time in milliseconds. The real one wraps Node's timers; tests use labrpc's virtual clock. */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): Timer;
  sleep(delayMs: number): Promise<void>;
}

/** Every random choice (election timeouts, ids) comes from here, so simulated runs replay. */
export interface Random {
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** A member id: a non-negative integer, stable for the life of the member's storage (founders: 0..n-1). */
export type PeerId = number;

/** A reply, or a failure: request lost, reply lost, peer unreachable or timed out. */
export type CallResult<Reply> = { ok: true; reply: Reply } | { ok: false };

/** Answers one incoming request. Its reply must be encodable (plain data, Uint8Array). */
export type RequestHandler = (method: string, args: unknown) => unknown | Promise<unknown>;

/**
 * Asynchronous request/response to a peer by id. `call` never rejects for a network fault: it
 * resolves `{ ok: false }`. It may reject for programming errors (an argument that cannot be
 * encoded). `listen` registers the single handler for incoming requests.
 */
export interface Transport {
  call(to: PeerId, method: string, args: unknown): Promise<CallResult<unknown>>;
  listen(handler: RequestHandler): void;
  /** Stops sending and receiving; pending calls resolve `{ ok: false }`. */
  close?(): void | Promise<void>;
}

/**
 * What raft replicates. `apply` is called once per committed command, in log order, and must be
 * deterministic: every replica applies the same commands in the same order and must reach the
 * same state. `snapshot` captures everything applied so far (including any client-session
 * tables); `restore` replaces the state with a snapshot's, whose last entry is `meta` (index and
 * term). `query`, when present, answers a read-only question about the current state; it must
 * change nothing (the service layer runs it on one replica only, outside the log).
 */
export interface StateMachine<Command = unknown, Result = unknown, Query = never, Answer = never> {
  apply(command: Command, index: number): Result;
  snapshot(): Uint8Array;
  restore(snapshot: Uint8Array, meta: SnapshotMeta): void;
  query?(query: Query): Answer;
}
