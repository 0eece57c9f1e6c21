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
 * An open file on node:fs, by descriptor and callback API: fs/promises' FileHandle costs about
 * twice the CPU per call (measured: 132 vs 63 µs of user time per write + fdatasync).
 */
export class NodeFile implements StorageFile {
  private constructor(private readonly fd: number) {}

  static open(path: string, flags: "a" | "w" | "wx" | "r"): Promise<NodeFile> {
    return new Promise<number>((resolve, reject) => fs.open(path, flags, done(resolve, reject))).then(
      (fd) => new NodeFile(fd),
    );
  }

  writev(buffers: readonly Buffer[]): Promise<{ bytesWritten: number }> {
    let total = 0;
    for (const buffer of buffers) total += buffer.length;
    if (total <= SYNC_WRITE_MAX_BYTES) {
      try {
        return Promise.resolve({ bytesWritten: fs.writevSync(this.fd, buffers as Buffer[]) });
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<number>((resolve, reject) =>
      fs.writev(this.fd, buffers as Buffer[], done(resolve, reject)),
    ).then((bytesWritten) => ({ bytesWritten }));
  }

  datasync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fdatasync(this.fd, done(resolve, reject)));
  }

  sync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fsync(this.fd, done(resolve, reject)));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => fs.close(this.fd, done(resolve, reject)));
  }
}
