import { encodedCommand, type HardState, type LogEntry, type SnapshotMeta } from "@raftkit/raft";
import { headBytes, writeArrayHead, writeUint } from "./cbor-items.js";
import { CorruptFileError, StorageEncodeError } from "./errors.js";
import { compactTo, type LogState, writeEntries } from "./log-state.js";
import { encodeRecord, magic, RECORD_HEADER, sealRecord } from "./records.js";

export const WAL_FILE = "wal.log";
export const WAL_MAGIC = magic("RKWAL2\n");

// Record payloads are cbor arrays tagged by their first element.
const HARD_STATE = 1; // [1, term, votedFor or -1]
const ENTRIES = 2; // [2, from, term1, command1, term2, command2, ...]
const BASE = 3; // [3, index, term]: the log starts after this snapshot boundary

export function hardStateRecord(state: HardState): Buffer {
  return encodeRecord([HARD_STATE, state.term, state.votedFor ?? -1], "hard state");
}

/**
 * `[2, from, term1, command1, ...]` with each command spliced in as the bytes raft holds for it
 * (`encodedCommand`: those of the proposal on a leader, of the AppendEntries on a follower), so
 * that a log write encodes no command again.
 */
export function entriesRecord<Command>(from: number, entries: readonly LogEntry<Command>[]): Buffer {
  const commands: Uint8Array[] = [];
  let size = headBytes(2 + 2 * entries.length) + headBytes(ENTRIES) + headBytes(from);
  try {
    for (const entry of entries) {
      const bytes = encodedCommand(entry.command);
      commands.push(bytes);
      size += headBytes(entry.term) + bytes.length;
    }
  } catch (error) {
    throw new StorageEncodeError(`log entries from index ${from}`, error);
  }
  const out = Buffer.allocUnsafe(RECORD_HEADER + size);
  let at = writeArrayHead(out, RECORD_HEADER, 2 + 2 * entries.length);
  at = writeUint(out, at, ENTRIES);
  at = writeUint(out, at, from);
  for (const [i, entry] of entries.entries()) {
    at = writeUint(out, at, entry.term);
    out.set(commands[i]!, at);
    at += commands[i]!.length;
  }
  return sealRecord(out);
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
