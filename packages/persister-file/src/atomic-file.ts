import { dirname, join } from "node:path";
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

/** Creates `dir` and any missing parents. */
export async function ensureDirectory(fs: StorageFileSystem, dir: string): Promise<void> {
  try {
    await fs.mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    if (!isNotFound(error) || dirname(dir) === dir) throw error;
    await ensureDirectory(fs, dirname(dir));
    await fs.mkdir(dir);
  }
}

/** Writes all of `buffers` to `file`. */
export async function writeAll(file: StorageFile, buffers: readonly Buffer[]): Promise<void> {
  await file.writev(buffers);
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
    await writeAll(handle, chunks);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, join(dir, name));
  if (sync) await syncDirectory(fs, dir);
}
