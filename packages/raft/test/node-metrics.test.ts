import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeCluster } from "../src/testkit/index.js";

test(
  "node: metrics count elections, proposals, commits, messages and payload bytes by method, storage writes",
  simTest(async (sim) => {
    const cfg = makeCluster<string>(sim, { servers: 3, print: () => {} });
    try {
      const index = await cfg.one("x".repeat(100), 3, false);
      const leaderId = await cfg.checkOneLeader();
      const leader = cfg.raft(leaderId)!;
      const follower = cfg.raft((leaderId + 1) % 3)!;
      const m = leader.metrics;
      assert.ok(m.elections >= 1 && m.preVotes >= 1 && m.leaderships === 1, JSON.stringify(m));
      assert.ok(m.proposals >= 1);
      assert.ok(m.commits >= index, `${m.commits} commits, index ${index}`);
      assert.ok(m.messagesSent.AppendEntries > 0);
      // The 100-character command crossed to both followers at least once.
      assert.ok(m.bytesSent.AppendEntries >= 2 * 100, `${m.bytesSent.AppendEntries} bytes`);
      assert.ok(follower.metrics.messagesReceived.AppendEntries > 0);
      assert.is(follower.metrics.messagesSent.AppendEntries, 0);
      assert.ok(m.storageWrites > 0 && m.storageLatencyMsMax >= 0);
      const refused = follower.metrics.proposalsRefused;
      follower.start("y");
      assert.is(follower.metrics.proposalsRefused, refused + 1);
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
