import type { DeployOptions } from "../scenario.js";
import { MemberCluster } from "./member-cluster.js";

/** One new member catching up with `keys` keys of state and being promoted (one run). */
export interface CatchUpRun {
  keys: number;
  valueBytes: number;
  /** Keys and values written, in bytes: what the new member must end up holding. */
  stateBytes: number;
  /** The leader's commit index when the member was added (entries the state took). */
  logIndex: number;
  /** From the add-learner request to its commit, and to the member being a voter, in ms. */
  learnerMs: number;
  voterMs: number;
  /** Bytes the new member read from its sockets between the add and its promotion. */
  bytesReceived: number;
  /** InstallSnapshot chunks it received (0: it caught up from the log alone). */
  snapshotChunks: number;
  /** The configuration's voters after the promotion. */
  voters: number[];
}

export interface CatchUpOptions extends DeployOptions {
  keys: number;
  valueBytes: number;
  maxRaftStateBytes?: number | undefined;
  limitMs: number;
}

const FILL_CLIENTS = 64;

/**
 * Three founders hold `keys` distinct keys of `valueBytes` each (written by 64 clients, then
 * idle); a fourth member starts empty with `serve --join` and is added as an auto-promoting
 * learner. Measures how long until it is a voter and what it took to get there.
 */
export async function measureCatchUp(options: CatchUpOptions): Promise<CatchUpRun> {
  const cluster = await MemberCluster.start({ ...options, founders: 3, members: 4 });
  try {
    const value = "v".repeat(options.valueBytes);
    await Promise.all(
      cluster.makeClients(FILL_CLIENTS).map(async (client, c) => {
        for (let k = c; k < options.keys; k += FILL_CLIENTS) await client.put(`k${k}`, value);
      }),
    );
    const leader = await cluster.leader();
    const logIndex = (await cluster.status(leader))?.commitIndex ?? 0;
    await cluster.startJoiner(3);
    const before = await cluster.status(3);
    const t0 = performance.now();
    await cluster.change({ kind: "add-learner", id: 3, address: cluster.addresses[3]!, autoPromote: true });
    const learnerMs = performance.now() - t0;
    const voters = await cluster.until("member 3 promoted", async () => {
      const { voters } = await cluster.membership();
      return voters.includes(3) ? [...voters] : undefined;
    });
    const voterMs = performance.now() - t0;
    const after = await cluster.status(3);
    return {
      keys: options.keys,
      valueBytes: options.valueBytes,
      stateBytes: options.keys * options.valueBytes + keyBytes(options.keys),
      logIndex,
      learnerMs,
      voterMs,
      bytesReceived: (after?.transport.bytesReceived ?? 0) - (before?.transport.bytesReceived ?? 0),
      snapshotChunks: after?.snapshotChunksReceived ?? 0,
      voters,
    };
  } finally {
    await cluster.close();
  }
}

/** Bytes of the keys k0..k(n-1). */
function keyBytes(n: number): number {
  let bytes = 0;
  for (let k = 0; k < n; k++) bytes += 1 + String(k).length;
  return bytes;
}
