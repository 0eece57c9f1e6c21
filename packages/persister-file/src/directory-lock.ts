import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DirectoryLockedError } from "./errors.js";
import { isNotFound, type StorageFileSystem } from "./fs/file-system.js";

export const LOCK_FILE = "LOCK";

/** The lock files this process holds, per filesystem: a LOCK with our pid but not here is stale. */
const held = new WeakMap<StorageFileSystem, Set<string>>();

/**
 * This boot of the machine (Linux; empty elsewhere): after a power loss pids start over, and a
 * LOCK from before the reboot must not be mistaken for a live process that got the same pid.
 */
const BOOT_ID = (() => {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
  } catch {
    return "";
  }
})();

/** True if a process with this id is running (signal 0 checks without signalling). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the data directory for this process: creates `LOCK` (exclusively) holding our pid. A lock
 * held by a running process is a DirectoryLockedError; one left by a process that died (kill -9,
 * power loss) is taken over. Returns the release function, which removes the file.
 */
export async function lockDirectory(fs: StorageFileSystem, dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await fs.open(path, "wx");
      try {
        await file.writev([Buffer.from(`${process.pid} ${BOOT_ID}\n`)]);
      } finally {
        await file.close();
      }
      const mine = held.get(fs) ?? new Set<string>();
      held.set(fs, mine.add(path));
      return async () => {
        mine.delete(path);
        await fs.rm(path);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(fs, path);
    if (holder !== undefined && (holder === process.pid ? held.get(fs)?.has(path) : isRunning(holder))) {
      throw new DirectoryLockedError(dir, holder);
    }
    await fs.rm(path); // stale: its process is gone (or, with our pid, an earlier life of this one)
  }
  throw new DirectoryLockedError(dir, (await readHolder(fs, path)) ?? 0);
}

/**
 * The pid in a LOCK file, or undefined if the file is gone, incomplete (a crash while writing
 * it), or from an earlier boot: all of those are stale.
 */
async function readHolder(fs: StorageFileSystem, path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = (await fs.readFile(path)).toString("latin1");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const match = /^(\d+) (\S*)\n$/.exec(text);
  if (!match || match[2] !== BOOT_ID) return undefined;
  const pid = Number(match[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
