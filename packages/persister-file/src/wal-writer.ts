import { join } from "node:path";
import { writeAll, writeFileAtomically } from "./atomic-file.js";
import { PersisterClosedError } from "./errors.js";
import type { StorageFile, StorageFileSystem } from "./fs/file-system.js";
import { type StoredSnapshot, writeSnapshotFile } from "./snapshot-file.js";
import { WAL_FILE } from "./wal-format.js";

/** A compaction: the snapshot file, then the log replaced by `image` (the log as of the snapshot call). */
interface Compaction {
  snapshot: StoredSnapshot;
  image: readonly Buffer[];
}

/**
 * One unit of the write queue: records appended with one fsync, then (if set) a compaction.
 * Steps run in call order, so the files always hold the state after some prefix of the calls.
 */
interface Step {
  records: Buffer[];
  compaction: Compaction | undefined;
  /** Settles once the step has run: one promise for every write that joined it. */
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export interface WalCounters {
  flushes: number;
  records: number;
  compactions: number;
}

/**
 * The write path: appends records to the open log with group commit (every write made while a
 * step is queued or in flight joins the next fsync), and runs compactions in their place in the
 * queue. After a failure, that write and every later one reject with the error.
 */
export class WalWriter {
  private readonly walPath: string;
  private steps: Step[] = [];
  private inFlight: Step | undefined;
  private flushing = false;
  private failure: Error | undefined;
  /** Bytes the log will hold once every queued step has run. */
  #bytes: number;
  readonly counters: WalCounters = { flushes: 0, records: 0, compactions: 0 };

  constructor(
    private readonly fs: StorageFileSystem,
    private readonly dir: string,
    private readonly sync: boolean,
    private wal: StorageFile,
    bytes: number,
  ) {
    this.walPath = join(dir, WAL_FILE);
    this.#bytes = bytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  append(record: Buffer): Promise<void> {
    const step = this.openStep();
    step.records.push(record);
    this.#bytes += record.length;
    this.counters.records++;
    return this.waitFor(step);
  }

  /** Queues a compaction; `image` must be built now, from the state as of this call. */
  compact(snapshot: StoredSnapshot, image: readonly Buffer[]): Promise<void> {
    const step = this.openStep();
    step.compaction = { snapshot, image };
    this.#bytes = image.reduce((sum, chunk) => sum + chunk.length, 0);
    return this.waitFor(step);
  }

  /** Resolves once everything written so far is durable. */
  whenFlushed(): Promise<void> {
    const last = this.steps.at(-1) ?? this.inFlight;
    if (last) return this.waitFor(last);
    return this.failure ? Promise.reject(this.failure) : Promise.resolve();
  }

  async close(dir: string): Promise<void> {
    if (this.failure instanceof PersisterClosedError) return;
    await this.whenFlushed().catch(() => {});
    this.failure ??= new PersisterClosedError(`persister at ${dir} is closed`);
    await this.wal.close();
  }

  private openStep(): Step {
    const last = this.steps.at(-1);
    if (last && !last.compaction) return last;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    const step: Step = { records: [], compaction: undefined, done, resolve, reject };
    this.steps.push(step);
    if (!this.flushing && !this.failure) {
      this.flushing = true;
      // Let every write of this turn of the event loop join the batch.
      setImmediate(() => void this.flushLoop());
    }
    return step;
  }

  private waitFor(step: Step): Promise<void> {
    return this.failure ? Promise.reject(this.failure) : step.done;
  }

  private async flushLoop(): Promise<void> {
    while (!this.failure && this.steps.length > 0) {
      const step = this.steps.shift()!;
      this.inFlight = step;
      try {
        if (step.records.length > 0) await this.writeRecords(step.records);
        if (step.compaction) await this.rewrite(step.compaction);
        step.resolve();
      } catch (error) {
        this.failure = error as Error;
        for (const failed of [step, ...this.steps]) failed.reject(error);
        this.steps = [];
      }
      this.inFlight = undefined;
    }
    this.flushing = false;
  }

  private async writeRecords(records: readonly Buffer[]): Promise<void> {
    await writeAll(this.wal, records, this.walPath);
    if (this.sync) await this.wal.datasync();
    this.counters.flushes++;
  }

  /** Makes the snapshot durable, then replaces the log with what follows it. */
  private async rewrite({ snapshot, image }: Compaction): Promise<void> {
    await writeSnapshotFile(this.fs, this.dir, snapshot, this.sync);
    await this.wal.close();
    await writeFileAtomically(this.fs, this.dir, WAL_FILE, image, this.sync);
    this.wal = await this.fs.open(this.walPath, "a");
    this.counters.compactions++;
  }
}
