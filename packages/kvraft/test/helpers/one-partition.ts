import type { Simulation } from "@raftkit/labrpc";
import type { ReadMode } from "@raftkit/service";
import { ELECTION_TIMEOUT_MS, KvRaftConfig, readsSuffix } from "./config.js";
import { checkLinearizable, type KvOperation } from "./linearizability.js";
import { check, get, put } from "./ops.js";

/**
 * The lab's TestOnePartition4A, whose three titled parts each print a Passed line: the
 * majority side makes progress, the minority side (which holds the old leader) makes none, and
 * after healing the stalled Put completes (and lands after the majority's last Put).
 */
export async function onePartitionTest(sim: Simulation, reads: ReadMode): Promise<void> {
  const suffix = readsSuffix(reads);
  const cfg = new KvRaftConfig(sim, { servers: 5, unreliable: false, maxRaftState: -1, reads });
  try {
    const log: KvOperation[] = [];
    const ck = cfg.makeClient(cfg.all());
    await put(cfg, ck, "1", "13", log, 0);

    cfg.begin(`Test: progress in majority (4A)${suffix}`);
    const [p1, p2] = cfg.makePartition();
    cfg.partition(p1, p2);
    const ckp1 = cfg.makeClient(p1);
    const ckp2a = cfg.makeClient(p2);
    const ckp2b = cfg.makeClient(p2);
    await put(cfg, ckp1, "1", "14", log, 1);
    await check(cfg, ckp1, "1", "14", log, 1);
    cfg.end();

    cfg.begin(`Test: no progress in minority (4A)${suffix}`);
    let putDone = false;
    let getDone = false;
    const stalledPut = put(cfg, ckp2a, "1", "15", log, 2).then(() => {
      putDone = true;
    });
    void get(cfg, ckp2b, "1", log, 3).then(() => {
      getDone = true;
    });
    await sim.sleep(1000);
    if (putDone) throw new Error("Put in minority completed");
    if (getDone) throw new Error("Get in minority completed");
    await check(cfg, ckp1, "1", "14", log, 1);
    await put(cfg, ckp1, "1", "16", log, 1);
    await check(cfg, ckp1, "1", "16", log, 1);
    cfg.end();

    cfg.begin(`Test: completion after heal (4A)${suffix}`);
    cfg.connectAll();
    cfg.connectClient(ckp2a, cfg.all());
    cfg.connectClient(ckp2b, cfg.all());
    await sim.sleep(ELECTION_TIMEOUT_MS);
    const deadline = sim.sleep(30 * 100).then(() => "late" as const);
    if ((await Promise.race([stalledPut.then(() => "done" as const), deadline])) === "late") {
      throw new Error("Put did not complete");
    }
    // The minority Get may or may not have finished: the lab only polls it.
    await check(cfg, ck, "1", "15", log, 0);
    cfg.end();
    await checkLinearizable(log.filter((op) => op.return !== undefined));
    void getDone;
  } finally {
    cfg.cleanup();
  }
}
