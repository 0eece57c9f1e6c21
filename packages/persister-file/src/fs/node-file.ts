import * as fs from "node:fs";
import type { StorageFile } from "./file-system.js";

/**
 * A write this size or smaller goes to the page cache from the event loop itself (a few µs),
 * instead of through libuv's thread pool: every thread-pool call is a wake-up of a worker and of
 * the event loop again, which on a busy 2-core machine cost more than the write (strace of a
 * one-client put: 2 thread-pool calls per batch, writev then fdatasync, ~9 futex calls per put
 * on the leader). Larger writes (a compaction's new log) still go through the pool, so the
 * event loop never stalls on them.
 */
export const SYNC_WRITE_MAX_BYTES = 256 * 1024;

const done =
  <T>(resolve: (value: T) => void, reject: (error: unknown) => void) =>
  (error: NodeJS.ErrnoException | null, value?: T) =>
    error ? reject(error) : resolve(value as T);

/**
 * A file opened to append ("a") grows this much at a time, zero-filled ahead of the writes: a
 * write into space the file already has leaves its size alone, so the fdatasync that makes it
 * durable flushes the data and nothing else. Appending past the end changes the size every time,
 * and every fdatasync must then write the inode too: on this project's test machine a 150-byte
 * write + fdatasync took 0.31 ms at the median appended and 0.22–0.24 ms into zero-filled space,
 * and the second of three logs syncing at once 0.40 vs 0.32 ms (`disk-floor.mjs` in
 * apps/bench, which measures both). Readers treat zeros after the last record as the end
 * (records.ts); the persister cuts them before it opens the log again, and `close` gives them back.
 */
export const APPEND_CHUNK_BYTES = 1024 * 1024;

/**
 * An open file on node:fs, by descriptor and callback API: fs/promises' FileHandle costs about
 * twice the CPU per call (measured: 132 vs 63 µs of user time per write + fdatasync).
 *
 * Opened to append, it writes at its own position (where the file ended when opened, then after
 * each write) into space allocated ahead in APPEND_CHUNK_BYTES chunks. One write at a time: a
 * write is refused while another is under way (the persister's writer never overlaps them).
 */
export class NodeFile implements StorageFile {
  /** Appending: where the next write goes, and where the allocated space ends. */
  private appendAt: number;
  private allocatedTo: number;
  /** Whether to allocate ahead; off once an allocation fell short (a full disk, `ulimit -f`). */
  private preallocate: boolean;
  private writing = false;

  private constructor(
    private readonly fd: number,
    appendFrom: number | undefined,
  ) {
    this.appendAt = appendFrom ?? -1;
    this.allocatedTo = appendFrom ?? -1;
    this.preallocate = appendFrom !== undefined;
  }

  static open(path: string, flags: "a" | "w" | "wx" | "r"): Promise<NodeFile> {
    if (flags === "a") {
      // Not O_APPEND: that would put every write after the zeros allocated ahead.
      return new Promise<number>((resolve, reject) =>
        fs.open(path, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o666, done(resolve, reject)),
      ).then(
        (fd) =>
          new Promise<NodeFile>((resolve, reject) =>
            fs.fstat(fd, (error, stats) => {
              if (!error) return resolve(new NodeFile(fd, stats.size));
              fs.close(fd, () => reject(error));
            }),
          ),
      );
    }
    return new Promise<number>((resolve, reject) => fs.open(path, flags, done(resolve, reject))).then(
      (fd) => new NodeFile(fd, undefined),
    );
  }

  writev(buffers: readonly Buffer[]): Promise<{ bytesWritten: number }> {
    if (this.writing) return Promise.reject(new Error("NodeFile: a write is already under way"));
    let total = 0;
    for (const buffer of buffers) total += buffer.length;
    const appending = this.appendAt >= 0;
    let position: number | undefined;
    if (appending) {
      position = this.appendAt;
      if (this.preallocate && position + total > this.allocatedTo && total <= APPEND_CHUNK_BYTES) {
        this.allocateAhead(position + total);
      }
    }
    if (total <= SYNC_WRITE_MAX_BYTES) {
      try {
        const bytesWritten = fs.writevSync(this.fd, buffers as Buffer[], position);
        if (appending) this.appended(bytesWritten);
        return Promise.resolve({ bytesWritten });
      } catch (error) {
        return Promise.reject(error);
      }
    }
    this.writing = true;
    return new Promise<number>((resolve, reject) =>
      fs.writev(this.fd, buffers as Buffer[], position ?? null, done(resolve, reject)),
    ).then(
      (bytesWritten) => {
        this.writing = false;
        if (appending) this.appended(bytesWritten);
        return { bytesWritten };
      },
      (error: unknown) => {
        this.writing = false;
        throw error;
      },
    );
  }

  private appended(bytes: number): void {
    this.appendAt += bytes;
    if (this.appendAt > this.allocatedTo) this.allocatedTo = this.appendAt;
  }

  /**
   * Zero-fills the file from where its allocated space ends to the chunk boundary past `end`,
   * from the event loop (at most one chunk, once per chunk of log). If that falls short or fails,
   * allocating ahead stops for good and the write goes on as a plain one, which meets the same
   * limit and reports it: allocation never fails a write that would have fitted.
   */
  private allocateAhead(end: number): void {
    const target = Math.ceil(end / APPEND_CHUNK_BYTES) * APPEND_CHUNK_BYTES;
    const zeros = Buffer.alloc(target - this.allocatedTo);
    const from = this.allocatedTo;
    try {
      while (this.allocatedTo < target) {
        const n = fs.writeSync(
          this.fd,
          zeros,
          this.allocatedTo - from,
          target - this.allocatedTo,
          this.allocatedTo,
        );
        if (n <= 0) break;
        this.allocatedTo += n;
      }
    } catch {
      // Given up below; what was zero-filled before the error stays counted.
    }
    if (this.allocatedTo < target) this.preallocate = false;
  }

  datasync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fdatasync(this.fd, done(resolve, reject)));
  }

  sync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fsync(this.fd, done(resolve, reject)));
  }

  /** Closes the descriptor; a file opened to append first gives back the space allocated ahead. */
  close(): Promise<void> {
    const close = () => new Promise<void>((resolve, reject) => fs.close(this.fd, done(resolve, reject)));
    if (this.appendAt < 0 || this.allocatedTo <= this.appendAt) return close();
    return new Promise<void>((resolve, reject) =>
      fs.ftruncate(this.fd, this.appendAt, (error) => {
        if (!error) return resolve();
        // The space stays: recovery reads zeros after the last record as the end.
        close().then(() => reject(error), reject);
      }),
    ).then(close);
  }
}
