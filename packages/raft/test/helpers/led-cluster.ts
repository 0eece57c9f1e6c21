import type { Simulation } from "@raftkit/labrpc";
import type { RaftConfig } from "../../src/index.js";
import { type Cluster, makeCluster } from "../../src/testkit/index.js";

/**
 * Runs `body` on a quiet 3-member cluster that has committed one command (at `index`) and agrees
 * on `leader`, and cleans the cluster up however `body` ends.
 */
export async function withLeader(
  sim: Simulation,
  body: (cfg: Cluster<number>, leader: number, index: number) => Promise<void>,
  config: Partial<RaftConfig> = {},
): Promise<void> {
  const cfg = makeCluster<number>(sim, { servers: 3, config, print: () => {} });
  try {
    const index = await cfg.one(1, 3, false);
    await body(cfg, await cfg.checkOneLeader(), index);
  } finally {
    cfg.cleanup();
  }
}
