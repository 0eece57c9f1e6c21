import type { HardState, LogEntry, SnapshotMeta } from "@raftkit/raft";

/** What the write-ahead log describes: term and vote, where the log starts, and the entries after. */
export interface LogState<Command> {
  hardState: HardState;
  /** The snapshot boundary: entries start at `base.index + 1`. */
  base: SnapshotMeta;
  entries: LogEntry<Command>[];
}

export function emptyLogState<Command>(): LogState<Command> {
  return { hardState: { term: 0, votedFor: null }, base: { index: 0, term: 0 }, entries: [] };
}

/** Replaces the log from index `from` on; throws RangeError for a write below the base or past a gap. */
export function writeEntries<Command>(
  state: LogState<Command>,
  from: number,
  entries: readonly LogEntry<Command>[],
): void {
  const keep = from - state.base.index - 1;
  if (keep < 0)
    throw new RangeError(`cannot write entries from ${from}: the log starts after ${state.base.index}`);
  if (keep > state.entries.length) {
    throw new RangeError(
      `cannot write entries from ${from}: the log ends at ${state.base.index + state.entries.length}`,
    );
  }
  state.entries.length = keep;
  for (const entry of entries) state.entries.push(entry);
}

/**
 * Moves the base to a snapshot's boundary. Entries after it survive only if the log holds the
 * snapshot's last entry with the same term; otherwise the log disagrees and is dropped.
 */
export function compactTo<Command>(state: LogState<Command>, meta: SnapshotMeta): void {
  const offset = meta.index - state.base.index;
  const last = offset >= 1 ? state.entries[offset - 1] : undefined;
  state.entries = last && last.term === meta.term ? state.entries.slice(offset) : [];
  state.base = { index: meta.index, term: meta.term };
}
