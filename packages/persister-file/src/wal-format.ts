import type { HardState, LogEntry, SnapshotMeta } from "@raftkit/raft";
import { CorruptFileError } from "./errors.js";
import { compactTo, type LogState, writeEntries } from "./log-state.js";
import { encodeRecord, magic } from "./records.js";

export const WAL_FILE = "wal.log";
export const WAL_MAGIC = magic("RKWAL2\n");

// Record payloads are cbor arrays tagged by their first element.
const HARD_STATE = 1; // [1, term, votedFor or -1]
const ENTRIES = 2; // [2, from, term1, command1, term2, command2, ...]
const BASE = 3; // [3, index, term]: the log starts after this snapshot boundary

export function hardStateRecord(state: HardState): Buffer {
  return encodeRecord([HARD_STATE, state.term, state.votedFor ?? -1], "hard state");
}

export function entriesRecord<Command>(from: number, entries: readonly LogEntry<Command>[]): Buffer {
  const items: unknown[] = [ENTRIES, from];
  for (const entry of entries) items.push(entry.term, entry.command);
  return encodeRecord(items, `log entries from index ${from}`);
}

export function baseRecord(meta: SnapshotMeta): Buffer {
  return encodeRecord([BASE, meta.index, meta.term], "log base");
}

/** The whole log as a fresh file holds it: what compaction writes in place of the old one. */
export function walImage<Command>(state: LogState<Command>): Buffer[] {
  const { hardState, base, entries } = state;
  const chunks = [WAL_MAGIC, hardStateRecord(hardState), baseRecord(base)];
  if (entries.length > 0) chunks.push(entriesRecord(base.index + 1, entries));
  return chunks;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Applies one decoded record to the state; anything malformed is corruption at `offset`. */
export function replayRecord<Command>(
  state: LogState<Command>,
  value: unknown,
  file: string,
  offset: number,
): void {
  const bad = (why: string) => new CorruptFileError(file, offset, why);
  if (!Array.isArray(value) || value.length < 1) throw bad("record is not a tagged array");
  const [tag, a, b] = value;
  if (tag === HARD_STATE && value.length === 3 && isCount(a) && (b === -1 || isCount(b))) {
    state.hardState = { term: a, votedFor: b === -1 ? null : (b as number) };
  } else if (tag === ENTRIES && value.length >= 2 && value.length % 2 === 0 && isCount(a) && a >= 1) {
    const entries: LogEntry<Command>[] = [];
    for (let i = 2; i < value.length; i += 2) {
      const term = value[i];
      if (!isCount(term)) throw bad(`entry term ${String(term)}`);
      entries.push({ term, command: value[i + 1] as Command });
    }
    try {
      writeEntries(state, a, entries);
    } catch (error) {
      throw bad((error as Error).message);
    }
  } else if (tag === BASE && value.length === 3 && isCount(a) && isCount(b)) {
    compactTo(state, { index: a, term: b });
  } else {
    throw bad(`unknown record tag ${String(tag)}`);
  }
}
