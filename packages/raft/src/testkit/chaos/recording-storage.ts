import type { Durability, StoredRaftState } from "../../storage/storage.js";
import type { HardState, LogEntry, SnapshotMeta } from "../../types.js";
import type { MemberStorage } from "./storage-model.js";

/**
 * Passes every write through to a member's storage and keeps a copy of the log as written
 * (entries survive compaction; a truncation, or a snapshot the log does not match, removes
 * them), so the safety checker can read the entry at any index up to the member's commit index.
 */
export class RecordingStorage<Command> implements MemberStorage<Command> {
  readonly #log = new Map<number, LogEntry<Command>>();
  #last = 0;

  constructor(private readonly inner: MemberStorage<Command>) {}

  /** The entry this incarnation holds at `index`, if it ever wrote or loaded one there. */
  entry(index: number): LogEntry<Command> | undefined {
    return this.#log.get(index);
  }

  load(): StoredRaftState<Command> | undefined {
    const state = this.inner.load();
    const first = (state?.snapshot?.meta.index ?? 0) + 1;
    for (const [k, entry] of (state?.entries ?? []).entries()) this.#log.set(first + k, entry);
    this.#last = first - 1 + (state?.entries.length ?? 0);
    return state;
  }

  saveHardState(state: HardState): Durability {
    return this.inner.saveHardState(state);
  }

  appendEntries(from: number, entries: readonly LogEntry<Command>[]): Durability {
    for (let index = from; index <= this.#last; index++) this.#log.delete(index);
    for (const [k, entry] of entries.entries()) this.#log.set(from + k, entry);
    this.#last = from + entries.length - 1;
    return this.inner.appendEntries(from, entries);
  }

  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Durability {
    // As the storage does: a snapshot that does not match the log replaces all of it, and
    // entries written there before (perhaps never committed) must not be read as committed.
    if (this.#log.get(meta.index)?.term !== meta.term) {
      this.#log.clear();
      this.#last = meta.index;
    }
    return this.inner.saveSnapshot(meta, data);
  }

  raftStateSize(): number {
    return this.inner.raftStateSize?.() ?? 0;
  }
}
