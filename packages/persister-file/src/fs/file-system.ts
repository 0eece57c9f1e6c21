import * as fsp from "node:fs/promises";
import { NodeFile } from "./node-file.js";

/** An open file, as the persister uses it: sequential writes, syncs, close. */
export interface StorageFile {
  /** Writes at the file position; may write fewer bytes than given (the caller checks). */
  writev(buffers: readonly Buffer[]): Promise<{ bytesWritten: number }>;
  /** fsync of the data (and the size): what group commit waits for. */
  datasync(): Promise<void>;
  /** fsync of data and metadata; on a directory, makes its entries (new names, renames) durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The few file operations the persister makes, so tests can inject faults (short writes,
 * ENOSPC, EIO) or simulate a crash that loses what was not synced. `nodeFileSystem` is the real one.
 */
export interface StorageFileSystem {
  mkdir(path: string): Promise<void>;
  /** Rejects with an ENOENT error when the file does not exist. */
  readFile(path: string): Promise<Buffer>;
  /**
   * "a" appends (creating), "w" truncates (creating), "wx" creates and fails with EEXIST if the
   * file exists, "r" reads (a directory too, to sync it).
   */
  open(path: string, flags: "a" | "w" | "wx" | "r"): Promise<StorageFile>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; nothing happens if it does not exist. */
  rm(path: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
}

export const nodeFileSystem: StorageFileSystem = {
  mkdir: async (path) => {
    await fsp.mkdir(path);
  },
  readFile: (path) => fsp.readFile(path),
  open: (path, flags) => NodeFile.open(path, flags),
  rename: (from, to) => fsp.rename(from, to),
  rm: (path) => fsp.rm(path, { force: true }),
  truncate: (path, length) => fsp.truncate(path, length),
};

/** True for the error a missing file gives. */
export const isNotFound = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
