import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory, removed by `dispose`. */
export function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-persister-"));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export const entry = <C>(term: number, command: C) => ({ term, command });
