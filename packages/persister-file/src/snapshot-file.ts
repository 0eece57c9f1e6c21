import { join } from "node:path";
import { isMembership, type SnapshotMeta } from "@raftkit/raft";
import { writeFileAtomically } from "./atomic-file.js";
import { CorruptFileError } from "./errors.js";
import { isNotFound, type StorageFileSystem } from "./fs/file-system.js";
import { checkMagic, encodeRecord, MAGIC_BYTES, magic, readRecord } from "./records.js";

export const SNAPSHOT_FILE = "snapshot.bin";
const SNAPSHOT_MAGIC = magic("RKSNAP2\n");

export interface StoredSnapshot {
  meta: SnapshotMeta;
  data: Uint8Array;
}

/** Writes the snapshot atomically: after a crash there is the old one or the new one, whole. */
export function writeSnapshotFile(
  fs: StorageFileSystem,
  dir: string,
  snapshot: StoredSnapshot,
  sync: boolean,
): Promise<void> {
  const { index, term, config } = snapshot.meta;
  // The configuration in force at the snapshot (raft's membership) goes fourth, when there is one.
  const record = encodeRecord(
    config ? [index, term, snapshot.data, config] : [index, term, snapshot.data],
    "snapshot",
  );
  return writeFileAtomically(fs, dir, SNAPSHOT_FILE, [SNAPSHOT_MAGIC, record], sync);
}

/** Reads the snapshot file, or undefined if there is none; damage of any kind is CorruptFileError. */
export async function readSnapshotFile(
  fs: StorageFileSystem,
  dir: string,
): Promise<StoredSnapshot | undefined> {
  const path = join(dir, SNAPSHOT_FILE);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  checkMagic(bytes, SNAPSHOT_MAGIC, "RKSNAP", path);
  // Written by rename, never appended to: a short or damaged record is corruption, not a torn tail.
  const result = readRecord(bytes, MAGIC_BYTES, path);
  if (result.kind !== "record" || result.next !== bytes.length) {
    throw new CorruptFileError(path, MAGIC_BYTES, "incomplete snapshot record");
  }
  const value = result.value;
  if (
    !Array.isArray(value) ||
    (value.length !== 3 && value.length !== 4) ||
    !Number.isSafeInteger(value[0]) ||
    !Number.isSafeInteger(value[1]) ||
    !(value[2] instanceof Uint8Array) ||
    (value.length === 4 && !isMembership(value[3]))
  ) {
    throw new CorruptFileError(path, MAGIC_BYTES, "bad snapshot record");
  }
  const meta =
    value.length === 4
      ? { index: value[0], term: value[1], config: value[3] }
      : { index: value[0], term: value[1] };
  return { meta, data: value[2] };
}
