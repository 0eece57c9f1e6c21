import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AbortedError,
  LeadershipLostError,
  NotLeaderError,
  type RaftNode,
  RaftUsageError,
} from "../src/index.js";
import { makeCluster } from "../src/testkit/index.js";
import { withLeader } from "./helpers/led-cluster.js";
import { settle } from "./helpers/settle.js";

const quiet = { print: () => {} };

test(
  "node: readIndex resolves at or after every committed write, on the leader only",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, leader, index) => {
      const read = await cfg.raft(leader)!.readIndex();
      assert.ok(read >= index, `read index ${read} before the write at ${index}`);
      const follower = (leader + 1) % 3;
      const refused = await settle(cfg.raft(follower)!.readIndex());
      assert.instance(refused.error, NotLeaderError);
      assert.is((refused.error as NotLeaderError).leaderHint, leader);
      assert.is((refused.error as NotLeaderError).code, "ERR_RAFT_NOT_LEADER");
    });
  }),
);

test(
  "node: reads made together share one heartbeat round, sent at once",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, leaderId) => {
      const leader = cfg.raft(leaderId)!;
      await sim.sleep(10); // just after a heartbeat round at most: the next one is ≥ 140 ms away
      const rpcs = cfg.rpcTotal();
      const t0 = sim.now();
      const reads = await Promise.all(Array.from({ length: 20 }, () => leader.readIndex()));
      const elapsed = sim.now() - t0;
      assert.ok(new Set(reads).size === 1, "all reads share one index");
      // One AppendEntries per follower, not one per read; and no wait for the 150 ms heartbeat.
      assert.ok(cfg.rpcTotal() - rpcs <= 2, `${cfg.rpcTotal() - rpcs} RPCs for 20 reads`);
      assert.ok(elapsed < 150, `reads took ${elapsed} ms (virtual)`);
    });
  }),
);

test(
  "node: readIndex rejects at once on an aborted signal, and when aborted while waiting",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, leaderId) => {
      const leader = cfg.raft(leaderId)!;
      const before = await settle(leader.readIndex({ signal: AbortSignal.abort("no") }));
      assert.instance(before.error, AbortedError);
      assert.is((before.error as AbortedError).cause, "no");
      // Cut the leader off: its read cannot be confirmed, so it waits until aborted.
      cfg.disconnect(leaderId);
      const controller = new AbortController();
      const waiting = settle(leader.readIndex({ signal: controller.signal }));
      await sim.sleep(100);
      controller.abort();
      assert.instance((await waiting).error, AbortedError);
    });
  }),
);

test(
  "node: a waiting read fails with LeadershipLostError when the leader is deposed",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, leaderId) => {
      const old = cfg.raft(leaderId)!;
      cfg.disconnect(leaderId);
      const waiting = settle(old.readIndex());
      await cfg.one(2, 2, true); // the others elect a new leader
      cfg.connect(leaderId); // the old leader hears the higher term
      const outcome = await waiting;
      assert.instance(outcome.error, LeadershipLostError);
    });
  }),
);

test(
  "node: a lease read on a healthy leader resolves without a message; without check-quorum it is refused",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, { servers: 3, ...quiet });
    const classic = makeCluster<number>(sim, { servers: 3, config: { checkQuorum: false }, ...quiet });
    try {
      const index = await cfg.one(1, 3, false);
      const leader = cfg.raft(await cfg.checkOneLeader())!;
      const rpcs = cfg.rpcTotal();
      const t0 = sim.now();
      assert.ok((await leader.readIndex({ lease: true })) >= index);
      assert.is(cfg.rpcTotal() - rpcs, 0);
      assert.is(sim.now(), t0);
      await classic.one(1, 3, false);
      const refused = await settle(classic.raft(await classic.checkOneLeader())!.readIndex({ lease: true }));
      assert.instance(refused.error, RaftUsageError);
    } finally {
      cfg.cleanup();
      classic.cleanup();
    }
  }),
);

test(
  "node: a leader cut off from everyone fails its waiting read once check-quorum deposes it",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, leaderId) => {
      cfg.disconnect(leaderId);
      const t0 = sim.now();
      const outcome = await settle(cfg.raft(leaderId)!.readIndex());
      assert.instance(outcome.error, LeadershipLostError);
      assert.ok(sim.now() - t0 <= 2 * 500, `after ${sim.now() - t0} ms`);
    });
  }),
);

test(
  "node: without check-quorum a leader cut off from everyone keeps leading, but fails a waiting read within two election timeouts",
  simTest(async (sim) => {
    const config = { checkQuorum: false, preVote: false };
    await withLeader(
      sim,
      async (cfg, leaderId) => {
        cfg.disconnect(leaderId);
        const leader = cfg.raft(leaderId)!;
        const t0 = sim.now();
        // No signal: the read's only bound is raft's own (never, before this was fixed).
        const outcome = await Promise.race([
          settle(leader.readIndex()),
          sim.sleep(10_000).then(() => "pending"),
        ]);
        assert.is.not(outcome, "pending", "the read is still pending after 10 s");
        assert.instance((outcome as { error?: unknown }).error, LeadershipLostError);
        assert.match(
          String((outcome as { error: Error }).error.message),
          /no majority replied within 500 ms/,
        );
        assert.ok(sim.now() - t0 <= 2 * 500, `after ${sim.now() - t0} ms`);
        assert.is(leader.role, "leader", "the Raft paper's leader does not step down");
      },
      config,
    );
  }),
);

test(
  "node: role, leader and term changes are events",
  simTest(async (sim) => {
    const cfg = makeCluster<number>(sim, { servers: 3, ...quiet });
    try {
      const seen: string[][] = [[], [], []];
      for (let i = 0; i < 3; i++) {
        const node = cfg.raft(i) as RaftNode<number>;
        node.addEventListener("role", (e) => seen[i]!.push(`role ${e.detail.role}@${e.detail.term}`));
        node.addEventListener("leader", (e) => seen[i]!.push(`leader ${e.detail.leaderId}@${e.detail.term}`));
        node.addEventListener("term", (e) => seen[i]!.push(`term ${e.detail.term}`));
      }
      const leader = await cfg.checkOneLeader();
      const term = cfg.raft(leader)!.getState().term;
      assert.ok(seen[leader]!.includes(`role leader@${term}`), seen[leader]!.join(", "));
      assert.ok(seen[leader]!.includes(`leader ${leader}@${term}`));
      for (let i = 0; i < 3; i++) {
        assert.ok(seen[i]!.includes(`term ${term}`), `${i}: ${seen[i]!.join(", ")}`);
        if (i !== leader) assert.ok(seen[i]!.includes(`leader ${leader}@${term}`), seen[i]!.join(", "));
      }
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
