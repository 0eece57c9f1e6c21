import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LeadershipTransferError, NotLeaderError, RaftUsageError } from "../src/index.js";
import { withLeader } from "./helpers/led-cluster.js";
import { settle } from "./helpers/settle.js";

test(
  "node: transferLeadership moves leadership to the target well within an election timeout",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, from) => {
      const to = (from + 1) % 3;
      const t0 = sim.now();
      const moving = cfg.raft(from)!.transferLeadership(to);
      assert.is(cfg.raft(from)!.start(2).isLeader, false, "no proposals while transferring");
      assert.is(await moving, to);
      assert.ok(sim.now() - t0 < 250, `took ${sim.now() - t0} ms (virtual)`);
      assert.is(await cfg.checkOneLeader(), to);
      await cfg.one(3, 3, false);
    });
  }),
);

test(
  "node: a transfer to a crashed member fails after an election timeout and the leader goes on",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, from) => {
      const to = (from + 1) % 3;
      cfg.crash1(to);
      const outcome = await settle(cfg.raft(from)!.transferLeadership(to));
      assert.instance(outcome.error, LeadershipTransferError);
      assert.is((outcome.error as LeadershipTransferError).target, to);
      assert.ok(cfg.raft(from)!.getState().isLeader);
      await cfg.one(2, 2, false);
    });
  }),
);

test(
  "node: only a leader transfers, and only to another member",
  simTest(async (sim) => {
    await withLeader(sim, async (cfg, leader) => {
      const follower = (leader + 1) % 3;
      const refused = await settle(cfg.raft(follower)!.transferLeadership(leader));
      assert.instance(refused.error, NotLeaderError);
      assert.is((refused.error as NotLeaderError).leaderHint, leader);
      assert.instance((await settle(cfg.raft(leader)!.transferLeadership(leader))).error, RaftUsageError);
      assert.instance((await settle(cfg.raft(leader)!.transferLeadership(7))).error, RaftUsageError);
      // With no target named, the most up-to-date follower is chosen.
      const chosen = await cfg.raft(leader)!.transferLeadership();
      assert.ok(chosen !== leader);
      assert.is(await cfg.checkOneLeader(), chosen);
    });
  }),
);

test.run();
