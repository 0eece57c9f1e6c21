import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { ELECTION_TIMEOUT_MS as ET, makeCluster } from "../src/testkit/index.js";

test(
  "3A: initial election",
  simTest(async (sim) => {
    const cfg = makeCluster(sim, { servers: 3 });
    try {
      cfg.begin("3A: initial election");
      await cfg.checkOneLeader();
      // Let everyone hear from the leader, then check they agree on the term.
      await sim.sleep(50);
      const term1 = cfg.checkTerms();
      if (term1 < 1) throw new Error(`term is ${term1}, but should be at least 1`);
      // Without failures, the leader and the term stay put.
      await sim.sleep(2 * ET);
      const term2 = cfg.checkTerms();
      if (term1 !== term2) console.warn("warning: term changed even though there were no failures");
      await cfg.checkOneLeader();
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3A: election after network failure",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3A: election after network failure");
      const leader1 = await cfg.checkOneLeader();
      // If the leader disconnects, a new one should be elected.
      cfg.disconnect(leader1);
      await cfg.checkOneLeader();
      // If the old leader rejoins, that shouldn't disturb the new leader.
      cfg.connect(leader1);
      const leader2 = await cfg.checkOneLeader();
      // If there's no quorum, no new leader should be elected.
      cfg.disconnect(leader2);
      cfg.disconnect((leader2 + 1) % servers);
      await sim.sleep(2 * ET);
      // Check that the one connected server does not think it is the leader.
      cfg.checkNoLeader();
      // If a quorum arises, it should elect a leader.
      cfg.connect((leader2 + 1) % servers);
      await cfg.checkOneLeader();
      // Re-join of the last node shouldn't prevent leader from existing.
      cfg.connect(leader2);
      await cfg.checkOneLeader();
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3A: multiple elections",
  simTest(async (sim) => {
    const servers = 7;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3A: multiple elections");
      await cfg.checkOneLeader();
      for (let iter = 1; iter < 10; iter++) {
        // Disconnect three nodes (possibly the same one twice).
        const i1 = sim.random.int(servers);
        const i2 = sim.random.int(servers);
        const i3 = sim.random.int(servers);
        cfg.disconnect(i1);
        cfg.disconnect(i2);
        cfg.disconnect(i3);
        // Either the current leader should still be alive, or the remaining four should elect a new one.
        await cfg.checkOneLeader();
        cfg.connect(i1);
        cfg.connect(i2);
        cfg.connect(i3);
      }
      await cfg.checkOneLeader();
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
