import { dirname, join } from "node:path";
import { ShortWriteError } from "./errors.js";
import { isNotFound, type StorageFile, type StorageFileSystem } from "./fs/file-system.js";

/** fsyncs a directory, so a rename or a new file inside it survives power loss. */
export async function syncDirectory(fs: StorageFileSystem, dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` and any missing parents, fsyncing the parent of each directory it creates: a new
 * directory's name is durable only once its parent is, and without it a crash right after the
 * first acknowledged write could lose the whole data directory.
 */
export async function ensureDirectory(fs: StorageFileSystem, dir: string, sync: boolean): Promise<void> {
  try {
    await fs.mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    if (!isNotFound(error) || dirname(dir) === dir) throw error;
    await ensureDirectory(fs, dirname(dir), sync);
    await fs.mkdir(dir);
  }
  if (sync) await syncDirectory(fs, dirname(dir));
}

/**
 * Writes all of `buffers` to `file`. A write may store fewer bytes than given (a disk filling up,
 * `ulimit -f`); the rest is retried, and a write that stores nothing is a ShortWriteError. The
 * bytes count is never ignored: that acknowledged entries that were not on disk.
 */
export async function writeAll(file: StorageFile, buffers: readonly Buffer[], path: string): Promise<void> {
  let expected = 0;
  for (const buffer of buffers) expected += buffer.length;
  let pending = buffers;
  let written = 0;
  while (written < expected) {
    const { bytesWritten } = await file.writev(pending);
    if (!(bytesWritten > 0)) throw new ShortWriteError(path, expected, written);
    written += bytesWritten;
    if (written < expected) pending = skipBytes(pending, bytesWritten);
  }
}

/** The buffers without their first `count` bytes (views, no copies). */
function skipBytes(buffers: readonly Buffer[], count: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.length) skip -= buffer.length;
    else {
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
  }
  return rest;
}

/**
 * Replaces `dir/name` with `chunks` so that after a crash the file is either wholly old or wholly
 * new: write a temporary file, fsync it, rename it over the old one, fsync the directory.
 */
export async function writeFileAtomically(
  fs: StorageFileSystem,
  dir: string,
  name: string,
  chunks: readonly Buffer[],
  sync: boolean,
): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const handle = await fs.open(tmp, "w");
  try {
    await writeAll(handle, chunks, tmp);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, join(dir, name));
  if (sync) await syncDirectory(fs, dir);
}
