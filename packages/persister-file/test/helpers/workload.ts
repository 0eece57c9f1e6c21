import { SimFileSystem } from "./sim-fs.js";

export const DATA_DIR = "/srv/raft/node-0";

/** A simulated filesystem where `/srv/raft` (and, unless told otherwise, the data directory) exist durably. */
export async function simFs(options: { dataDir?: boolean } = {}): Promise<SimFileSystem> {
  const fs = new SimFileSystem();
  const dirs = ["/srv", "/srv/raft", ...(options.dataDir === false ? [] : [DATA_DIR])];
  for (const dir of dirs) await fs.mkdir(dir);
  for (const dir of ["/", ...dirs]) await (await fs.open(dir, "r")).sync();
  fs.ops.length = 0;
  return fs;
}

/** Waits (a bounded number of event-loop turns) until the filesystem has seen an operation. */
export async function untilOp(fs: SimFileSystem, op: string, count = 1): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    if (fs.ops.filter((o) => o === op).length >= count) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`operation "${op}" never happened; saw ${fs.ops.join(", ")}`);
}
