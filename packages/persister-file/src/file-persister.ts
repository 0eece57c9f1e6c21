import { type FileHandle, mkdir, open, readFile, rm, truncate } from "node:fs/promises";
import { join } from "node:path";
import type { HardState, LogEntry, RaftStorage, SnapshotMeta, StoredRaftState } from "@raftkit/raft";
import { syncDirectory, writeFileAtomically } from "./atomic-file.js";
import { CorruptFileError, PersisterClosedError } from "./errors.js";
import { compactTo, emptyLogState, type LogState, writeEntries } from "./log-state.js";
import { checkMagic, MAGIC_BYTES, magic, readRecord } from "./records.js";
import { readSnapshotFile, SNAPSHOT_FILE, type StoredSnapshot, writeSnapshotFile } from "./snapshot-file.js";
import { baseRecord, entriesRecord, hardStateRecord, replayRecord } from "./wal-format.js";

export const WAL_FILE = "wal.log";
const WAL_MAGIC = magic("RKWAL2\n");

export interface FilePersisterOptions {
  /**
   * fsync before a write counts as durable (default true). Turning it off keeps the same files and
   * recovery but loses the guarantee on power loss: for tests and benchmarks only.
   */
  sync?: boolean;
}

export interface FilePersisterStats {
  /** Batches written, each with one fsync: many writes share one (group commit). */
  flushes: number;
  /** Records appended to the log. */
  records: number;
  /** Times the log was rewritten after a snapshot. */
  compactions: number;
  /** Bytes cut off a torn tail when the files were opened. */
  tornBytesDropped: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
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
  private readonly walPath: string;
  private wal: FileHandle;
  private walBytes: number;
  private queued: Buffer[] = [];
  private waiters: Waiter[] = [];
  private compactionDue = false;
  private flushing = false;
  private failure: Error | undefined;
  private readonly counters: FilePersisterStats;

  private constructor(
    readonly dir: string,
    private readonly sync: boolean,
    private readonly state: LogState<Command>,
    private snapshot: StoredSnapshot | undefined,
    wal: FileHandle,
    walBytes: number,
    tornBytesDropped: number,
    private readonly existed: boolean,
  ) {
    this.walPath = join(dir, WAL_FILE);
    this.wal = wal;
    this.walBytes = walBytes;
    this.counters = { flushes: 0, records: 0, compactions: 0, tornBytesDropped };
  }

  /**
   * Opens (creating if needed) the directory and recovers what it holds. A torn tail, the trace of
   * a crash in the middle of a write, is cut off; damage anywhere else throws CorruptFileError
   * naming the file and byte offset and changes nothing on disk. Files of another format version
   * throw UnsupportedFormatError.
   */
  static async open<Command = unknown>(
    dir: string,
    options: FilePersisterOptions = {},
  ): Promise<FilePersister<Command>> {
    const sync = options.sync ?? true;
    await mkdir(dir, { recursive: true });
    const walPath = join(dir, WAL_FILE);
    await Promise.all([
      rm(`${walPath}.tmp`, { force: true }),
      rm(join(dir, `${SNAPSHOT_FILE}.tmp`), { force: true }),
    ]);
    const snapshot = await readSnapshotFile(dir);
    const state = emptyLogState<Command>();
    let bytes: Buffer | undefined;
    try {
      bytes = await readFile(walPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    let walBytes = MAGIC_BYTES;
    let torn = 0;
    if (bytes === undefined) {
      if (snapshot) throw new CorruptFileError(walPath, 0, "missing, but a snapshot exists");
      await writeFileAtomically(dir, WAL_FILE, [WAL_MAGIC], sync);
    } else {
      checkMagic(bytes, WAL_MAGIC, "RKWAL", walPath);
      walBytes = replayLog(state, bytes, walPath);
      torn = bytes.length - walBytes;
      if (torn > 0) {
        await truncate(walPath, walBytes);
        if (sync) await (await open(walPath, "r+")).close();
      }
    }
    // A crash between writing a snapshot and rewriting the log leaves the log behind it.
    if (snapshot && snapshot.meta.index > state.base.index) compactTo(state, snapshot.meta);
    if (state.base.index > 0 && !snapshot) {
      throw new CorruptFileError(
        join(dir, SNAPSHOT_FILE),
        0,
        `missing, but the log starts after index ${state.base.index}`,
      );
    }
    const wal = await open(walPath, "a");
    if (torn > 0 && sync) await wal.sync();
    return new FilePersister(dir, sync, state, snapshot, wal, walBytes, torn, bytes !== undefined);
  }

  // ---- RaftStorage -------------------------------------------------------------------------

  load(): StoredRaftState<Command> | undefined {
    if (!this.existed && this.counters.records === 0 && !this.snapshot) return undefined;
    return {
      hardState: this.state.hardState,
      snapshot: this.snapshot && this.snapshot.meta.index > 0 ? this.snapshot : undefined,
      entries: [...this.state.entries],
    };
  }

  saveHardState(hardState: HardState): Promise<void> {
    const record = hardStateRecord(hardState);
    this.state.hardState = { term: hardState.term, votedFor: hardState.votedFor };
    return this.append(record);
  }

  appendEntries(from: number, entries: readonly LogEntry<Command>[]): Promise<void> {
    const record = entriesRecord(from, entries);
    writeEntries(this.state, from, entries);
    return this.append(record);
  }

  saveSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    if (this.snapshot && meta.index <= this.snapshot.meta.index) return this.whenFlushed();
    this.snapshot = { meta: { index: meta.index, term: meta.term }, data };
    compactTo(this.state, meta);
    this.compactionDue = true;
    return this.enqueueWaiter();
  }

  // ---- the lab-style size and snapshot accessors (what kvraft reads) ------------------------

  /** Bytes in the write-ahead log: grows with every write, shrinks when a snapshot compacts it. */
  raftStateSize(): number {
    return this.walBytes;
  }

  readSnapshot(): Uint8Array {
    return this.snapshot?.data ?? new Uint8Array(0);
  }

  snapshotSize(): number {
    return this.snapshot?.data.length ?? 0;
  }

  stats(): FilePersisterStats {
    return { ...this.counters };
  }

  /** Resolves once everything written so far is durable. */
  whenFlushed(): Promise<void> {
    if (!this.flushing && this.queued.length === 0 && !this.compactionDue) {
      return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    }
    return this.enqueueWaiter();
  }

  /** Waits for pending writes, then closes the log file; later writes reject with PersisterClosedError. */
  async close(): Promise<void> {
    if (this.failure instanceof PersisterClosedError) return;
    await this.whenFlushed().catch(() => {});
    this.failure ??= new PersisterClosedError(`persister at ${this.dir} is closed`);
    await this.wal.close();
  }

  // ---- the write path ----------------------------------------------------------------------

  private append(record: Buffer): Promise<void> {
    this.queued.push(record);
    this.walBytes += record.length;
    this.counters.records++;
    return this.enqueueWaiter();
  }

  private enqueueWaiter(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) {
      this.flushing = true;
      // Let every write of this turn of the event loop join the batch.
      setImmediate(() => void this.flushLoop());
    }
    return done;
  }

  private async flushLoop(): Promise<void> {
    while (!this.failure && (this.queued.length > 0 || this.compactionDue || this.waiters.length > 0)) {
      const waiters = this.waiters;
      this.waiters = [];
      try {
        if (this.compactionDue) await this.compact();
        else await this.flushBatch();
        for (const w of waiters) w.resolve();
      } catch (error) {
        this.failure = error as Error;
        for (const w of [...waiters, ...this.waiters]) w.reject(error);
        this.waiters = [];
      }
    }
    this.flushing = false;
  }

  private async flushBatch(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    await this.wal.writev(batch);
    if (this.sync) await this.wal.datasync();
    this.counters.flushes++;
  }

  /**
   * Makes the snapshot durable, then rewrites the log as what follows it. The in-memory state
   * already holds every write queued so far, so the rewrite covers (and drops) the queue.
   */
  private async compact(): Promise<void> {
    this.compactionDue = false;
    this.queued = [];
    const snapshot = this.snapshot!;
    await writeSnapshotFile(this.dir, snapshot, this.sync);
    const { hardState, base, entries } = this.state;
    const chunks = [WAL_MAGIC, hardStateRecord(hardState), baseRecord(base)];
    if (entries.length > 0) chunks.push(entriesRecord(base.index + 1, entries));
    await this.wal.close();
    await writeFileAtomically(this.dir, WAL_FILE, chunks, this.sync);
    this.wal = await open(this.walPath, "a");
    this.walBytes = chunks.reduce((sum, c) => sum + c.length, 0);
    this.counters.compactions++;
  }
}

/** Replays every whole record into `state`; returns the offset where valid data ends. */
function replayLog<Command>(state: LogState<Command>, bytes: Buffer, path: string): number {
  let offset = MAGIC_BYTES;
  for (;;) {
    const result = readRecord(bytes, offset, path);
    if (result.kind === "end") return offset;
    if (result.kind === "torn") return result.offset;
    replayRecord(state, result.value, path, offset);
    offset = result.next;
  }
}

export { syncDirectory };
