import { join } from "node:path";
import type { HardState, LogEntry, RaftStorage, SnapshotMeta, StoredRaftState } from "@raftkit/raft";
import { ensureDirectory, writeFileAtomically } from "./atomic-file.js";
import { lockDirectory } from "./directory-lock.js";
import { nodeFileSystem, type StorageFileSystem } from "./fs/file-system.js";
import { compactTo, type LogState, writeEntries } from "./log-state.js";
import { recover } from "./recovery.js";
import { SNAPSHOT_FILE, type StoredSnapshot } from "./snapshot-file.js";
import { entriesRecord, hardStateRecord, WAL_FILE, WAL_MAGIC, walImage } from "./wal-format.js";
import { WalWriter } from "./wal-writer.js";

export interface FilePersisterOptions {
  /**
   * fsync before a write counts as durable (default true). Turning it off keeps the same files and
   * recovery but loses the guarantee on power loss: for tests and benchmarks only.
   */
  sync?: boolean;
  /** The file operations to use (default: node:fs). Tests pass one that injects faults or crashes. */
  fs?: StorageFileSystem;
}

export interface FilePersisterStats {
  /** Batches written, each with one fsync: many writes share one (group commit). */
  flushes: number;
  /** Records appended to the log. */
  records: number;
  /** Times the log was rewritten after a snapshot. */
  compactions: number;
  /**
   * Bytes of a torn tail cut off when the files were opened (zeros after it are space the log
   * had allocated ahead, not counted).
   */
  tornBytesDropped: number;
}

/**
 * Raft's durable state in a directory: `wal.log`, an append-only write-ahead log of checksummed
 * records (term and vote, entries), and `snapshot.bin`, replaced atomically. Appending costs the
 * size of what is appended; every write made in the same turn of the event loop, and all those
 * made while an fsync is under way, share the next fsync. After a snapshot the log is rewritten
 * to hold only what follows it.
 *
 * Each write returns a promise that resolves once it is durable. If a write fails, that promise
 * and every later one reject with the error: the state on disk is then unknown, and the process
 * should stop and recover from the files.
 */
export class FilePersister<Command = unknown> implements RaftStorage<Command> {
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly state: LogState<Command>,
    private snapshot: StoredSnapshot | undefined,
    private readonly writer: WalWriter,
    private readonly tornBytesDropped: number,
    private readonly existed: boolean,
    private readonly unlock: () => Promise<void>,
  ) {}

  /**
   * Opens (creating if needed) the directory, locks it (`LOCK` holds this pid: a directory another
   * running process holds is a DirectoryLockedError) and recovers what it holds. A torn tail, the trace of
   * a crash in the middle of a write, is cut off; damage anywhere else throws CorruptFileError
   * naming the file and byte offset and changes nothing on disk. Files of another format version
   * throw UnsupportedFormatError.
   */
  static async open<Command = unknown>(
    dir: string,
    options: FilePersisterOptions = {},
  ): Promise<FilePersister<Command>> {
    const sync = options.sync ?? true;
    const fs = options.fs ?? nodeFileSystem;
    await ensureDirectory(fs, dir, sync);
    const unlock = await lockDirectory(fs, dir);
    try {
      return await FilePersister.recoverLocked<Command>(fs, dir, sync, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  private static async recoverLocked<Command>(
    fs: StorageFileSystem,
    dir: string,
    sync: boolean,
    unlock: () => Promise<void>,
  ): Promise<FilePersister<Command>> {
    const walPath = join(dir, WAL_FILE);
    await fs.rm(`${walPath}.tmp`);
    await fs.rm(join(dir, `${SNAPSHOT_FILE}.tmp`));
    const found = await recover<Command>(fs, dir);
    const torn = found.walBytes ? found.walBytes.length - found.validBytes : 0;
    // What was cut that is not zeros (the last record may itself end in zero bytes).
    const tornData = found.walBytes ? Math.max(0, endOfData(found.walBytes) - found.validBytes) : 0;
    if (found.walBytes === undefined) await writeFileAtomically(fs, dir, WAL_FILE, [WAL_MAGIC], sync);
    else if (torn > 0) await fs.truncate(walPath, found.validBytes);
    const wal = await fs.open(walPath, "a");
    if (torn > 0 && sync) await wal.sync();
    const writer = new WalWriter(fs, dir, sync, wal, found.walBytes ? found.validBytes : WAL_MAGIC.length);
    const existed = found.walBytes !== undefined;
    return new FilePersister(dir, found.state, found.snapshot, writer, tornData, existed, unlock);
  }

  // ---- RaftStorage -------------------------------------------------------------------------

  load(): StoredRaftState<Command> | undefined {
    if (!this.existed && this.writer.counters.records === 0 && !this.snapshot) return undefined;
    return {
      hardState: this.state.hardState,
      snapshot: this.snapshot && this.snapshot.meta.index > 0 ? this.snapshot : undefined,
      entries: [...this.state.entries],
    };
  }

  saveHardState(hardState: HardState): Promise<void> {
    const record = hardStateRecord(hardState);
    this.state.hardState = { term: hardState.term, votedFor: hardState.votedFor };
    return this.writer.append(record);
  }

  appendEntries(from: number, entries: readonly LogEntry<Command>[]): Promise<void> {
    const record = entriesRecord(from, entries);
    writeEntries(this.state, from, entries);
    return this.writer.append(record);
  }

  /**
   * Stores the snapshot, then rewrites the log as what follows it. The new log is encoded now,
   * from the state as of this call: a compaction that read the state later could pair this
   * snapshot file with a log starting at a newer snapshot.
   */
  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    if (this.snapshot && meta.index <= this.snapshot.meta.index) return this.writer.whenFlushed();
    this.snapshot = {
      meta: meta.config
        ? { index: meta.index, term: meta.term, config: meta.config }
        : { index: meta.index, term: meta.term },
      data,
    };
    compactTo(this.state, meta);
    return this.writer.compact(this.snapshot, walImage(this.state));
  }

  // ---- the lab-style size and snapshot accessors (what kvraft reads) ------------------------

  /** Bytes in the write-ahead log: grows with every write, shrinks when a snapshot compacts it. */
  raftStateSize(): number {
    return this.writer.bytes;
  }

  readSnapshot(): Uint8Array {
    return this.snapshot?.data ?? new Uint8Array(0);
  }

  snapshotSize(): number {
    return this.snapshot?.data.length ?? 0;
  }

  stats(): FilePersisterStats {
    return { ...this.writer.counters, tornBytesDropped: this.tornBytesDropped };
  }

  /** Resolves once everything written so far is durable. */
  whenFlushed(): Promise<void> {
    return this.writer.whenFlushed();
  }

  /**
   * Waits for pending writes, then closes the log file and releases the directory; later writes
   * reject with PersisterClosedError.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.writer.close(this.dir);
    } finally {
      await this.unlock();
    }
  }
}

/** Where the last non-zero byte of `bytes` ends. */
function endOfData(bytes: Buffer): number {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}
