import { join } from "node:path";
import { CorruptFileError } from "./errors.js";
import { isNotFound, type StorageFileSystem } from "./fs/file-system.js";
import { compactTo, emptyLogState, type LogState } from "./log-state.js";
import { checkMagic, MAGIC_BYTES, readRecord } from "./records.js";
import { readSnapshotFile, SNAPSHOT_FILE, type StoredSnapshot } from "./snapshot-file.js";
import { replayRecord, WAL_FILE, WAL_MAGIC } from "./wal-format.js";

/** What a directory holds, read without changing anything on disk. */
export interface Recovered<Command> {
  state: LogState<Command>;
  snapshot: StoredSnapshot | undefined;
  /** The log's bytes, or undefined if there is no log file. */
  walBytes: Buffer | undefined;
  /** Where the valid log ends; anything after it is a torn tail to cut. */
  validBytes: number;
}

/**
 * Reads the snapshot and replays the log. A crash between the two renames of a compaction
 * leaves the log behind the snapshot: that is reconciled. A log that starts after the snapshot,
 * or at it with another term, cannot come from any crash: CorruptFileError.
 */
export async function recover<Command>(fs: StorageFileSystem, dir: string): Promise<Recovered<Command>> {
  const walPath = join(dir, WAL_FILE);
  const snapshot = await readSnapshotFile(fs, dir);
  let walBytes: Buffer | undefined;
  try {
    walBytes = await fs.readFile(walPath);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const state = emptyLogState<Command>();
  if (walBytes === undefined) {
    if (snapshot) throw new CorruptFileError(walPath, 0, "missing, but a snapshot exists");
    return { state, snapshot, walBytes, validBytes: 0 };
  }
  checkMagic(walBytes, WAL_MAGIC, "RKWAL", walPath);
  const { validBytes, baseOffset } = replayLog(state, walBytes, walPath);
  const { base } = state;
  if (snapshot && snapshot.meta.index > base.index) {
    compactTo(state, snapshot.meta);
  } else if (
    snapshot ? snapshot.meta.term !== base.term || snapshot.meta.index !== base.index : base.index > 0
  ) {
    const found = snapshot ? `index ${snapshot.meta.index} (term ${snapshot.meta.term})` : "nothing";
    throw new CorruptFileError(
      walPath,
      baseOffset,
      `the log starts after index ${base.index} (term ${base.term}), but ${join(dir, SNAPSHOT_FILE)} holds ${found}`,
    );
  }
  return { state, snapshot, walBytes, validBytes };
}

/** Replays every whole record into `state`; returns where valid data ends and the last base record. */
function replayLog<Command>(
  state: LogState<Command>,
  bytes: Buffer,
  path: string,
): { validBytes: number; baseOffset: number } {
  let offset = MAGIC_BYTES;
  let baseOffset = 0;
  for (;;) {
    const result = readRecord(bytes, offset, path);
    if (result.kind === "end") return { validBytes: offset, baseOffset };
    if (result.kind === "torn") return { validBytes: result.offset, baseOffset };
    const before = state.base;
    replayRecord(state, result.value, path, offset);
    if (state.base !== before) baseOffset = offset;
    offset = result.next;
  }
}
