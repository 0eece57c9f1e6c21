import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FilePersister } from "../../src/index.js";

/** A fresh temporary directory, removed by `dispose`. */
export function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-persister-"));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export const entry = <C>(term: number, command: C) => ({ term, command });

/** Opens the directory, reads what loads, and closes again. */
export async function loadOnce<C>(dir: string) {
  const p = await FilePersister.open<C>(dir);
  try {
    return p.load();
  } finally {
    await p.close();
  }
}
