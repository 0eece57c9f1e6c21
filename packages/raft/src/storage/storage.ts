import type { HardState, LogEntry, SnapshotMeta } from "../types.js";

/**
 * The lab's persister API: raft's state and the service's snapshot as two opaque byte strings,
 * saved together atomically. Enough for the lab suites and for services that read their
 * snapshot back at start; raft itself writes through `RaftStorage`.
 */
export interface Persister {
  /** Atomically replaces both: the encoded raft state and the snapshot (undefined: empty). */
  save(raftState: Uint8Array, snapshot: Uint8Array | undefined): void;
  readRaftState(): Uint8Array;
  readSnapshot(): Uint8Array;
  /** Bytes of encoded raft state (what log compaction must keep small). */
  raftStateSize(): number;
  snapshotSize(): number;
}

/**
 * When a write is durable: `void` means already (memory), a Promise means once it resolves.
 * A file-backed storage can buffer writes and resolve many of them with one fsync (group
 * commit); raft waits for them before it replies, sends, or applies what depends on them.
 */
export type Durability = void | Promise<void>;

/** Everything raft needs to restart: term and vote, the snapshot, and the entries after it. */
export interface StoredRaftState<Command = unknown> {
  readonly hardState: HardState;
  readonly snapshot: { readonly meta: SnapshotMeta; readonly data: Uint8Array } | undefined;
  readonly entries: readonly LogEntry<Command>[];
}

/**
 * Raft's durable storage, written incrementally so that appending never rewrites the log.
 * Writes take effect in call order; each reports its durability. `load` runs once at start
 * (open a file-backed storage asynchronously before, then `load` is a read of what was found)
 * and throws CorruptStateError when the stored bytes cannot be decoded.
 */
export interface RaftStorage<Command = unknown> {
  load(): StoredRaftState<Command> | undefined;
  saveHardState(state: HardState): Durability;
  /** Replaces the log from index `from` on with `entries` (an empty list truncates). */
  appendEntries(from: number, entries: readonly LogEntry<Command>[]): Durability;
  /**
   * Stores a snapshot through `meta.index`. Entries after it are kept only if the log holds
   * `meta.index` with `meta.term`; otherwise the whole log is dropped.
   */
  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Durability;
}
