import { open, rename } from "node:fs/promises";
import { join } from "node:path";

/** fsyncs a directory, so a rename or a new file inside it survives power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `dir/name` with `chunks` so that after a crash the file is either wholly old or wholly
 * new: write a temporary file, fsync it, rename it over the old one, fsync the directory.
 */
export async function writeFileAtomically(
  dir: string,
  name: string,
  chunks: Buffer[],
  sync: boolean,
): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const handle = await open(tmp, "w");
  try {
    await handle.writev(chunks);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  if (sync) await syncDirectory(dir);
}
