import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { ELECTION_TIMEOUT_MS, KvRaftConfig } from "./helpers/config.js";
import { speedTest } from "./helpers/generic.js";
import { checkLinearizable, type KvOperation } from "./helpers/linearizability.js";
import { check, put } from "./helpers/ops.js";

const MAX_RAFT_STATE = 1000;
const MAX_SNAPSHOT_STATE = 500;

function checkLogSize(cfg: KvRaftConfig): void {
  const size = cfg.logSize();
  if (size > 8 * MAX_RAFT_STATE) throw new Error(`logs were not trimmed (${size} > 8*${MAX_RAFT_STATE})`);
}

test(
  "TestSnapshotRPC4B: Test: InstallSnapshot RPC (4B)",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: MAX_RAFT_STATE });
    try {
      const log: KvOperation[] = [];
      const ck = cfg.makeClient(cfg.all());
      cfg.begin("Test: InstallSnapshot RPC (4B)");
      await put(cfg, ck, "a", "A", log, 0);
      await check(cfg, ck, "a", "A", log, 0);

      // A bunch of Puts into the majority partition.
      cfg.partition([0, 1], [2]);
      const ck1 = cfg.makeClient([0, 1]);
      for (let i = 0; i < 50; i++) await put(cfg, ck1, String(i), String(i), log, 1);
      await sim.sleep(ELECTION_TIMEOUT_MS);
      await put(cfg, ck1, "b", "B", log, 1);
      // The majority must have thrown away most of its log.
      checkLogSize(cfg);

      // A group that needs the lagging server, which must catch up (by InstallSnapshot).
      cfg.partition([0, 2], [1]);
      const ck2 = cfg.makeClient([0, 2]);
      await put(cfg, ck2, "c", "C", log, 2);
      await put(cfg, ck2, "d", "D", log, 2);
      await check(cfg, ck2, "a", "A", log, 2);
      await check(cfg, ck2, "b", "B", log, 2);
      await check(cfg, ck2, "1", "1", log, 2);
      await check(cfg, ck2, "49", "49", log, 2);

      // Now everybody.
      cfg.partition([0, 1, 2], []);
      await put(cfg, ck, "e", "E", log, 0);
      await check(cfg, ck, "c", "C", log, 0);
      await check(cfg, ck, "e", "E", log, 0);
      await check(cfg, ck, "1", "1", log, 0);
      await checkLinearizable(log);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "TestSnapshotSize4B: Test: snapshot size is reasonable (4B)",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: MAX_RAFT_STATE });
    try {
      const log: KvOperation[] = [];
      const ck = cfg.makeClient(cfg.all());
      cfg.begin("Test: snapshot size is reasonable (4B)");
      for (let i = 0; i < 200; i++) {
        await put(cfg, ck, "x", "0", log, 0);
        await check(cfg, ck, "x", "0", log, 0);
        await put(cfg, ck, "x", "1", log, 0);
        await check(cfg, ck, "x", "1", log, 0);
      }
      checkLogSize(cfg);
      const snapshotSize = cfg.snapshotSize();
      if (snapshotSize > MAX_SNAPSHOT_STATE) {
        throw new Error(`snapshot too large (${snapshotSize} > ${MAX_SNAPSHOT_STATE})`);
      }
      if (snapshotSize === 0) throw new Error("no snapshot was taken");
      await checkLinearizable(log);
      cfg.end();
      console.log(`  log ${cfg.logSize()} bytes, snapshot ${snapshotSize} bytes`);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "TestSpeed4B: Test: ops complete fast enough (4B)",
  simTest(async (sim) => {
    const { msPerOp, rpcsPerOp } = await speedTest(sim, "4B", MAX_RAFT_STATE);
    console.log(`  speed: ${msPerOp.toFixed(2)} ms/op, ${rpcsPerOp.toFixed(2)} RPCs/op`);
  }),
);

test.run();
