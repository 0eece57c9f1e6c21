import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { ELECTION_TIMEOUT_MS as ET, makeCluster } from "../src/testkit/index.js";
import { check, randInt, randstring } from "./helpers.js";

test(
  "3B: basic agreement",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: basic agreement");
      let last = 0; // raft's index of the last command; a leader's no-op may come next
      for (let index = 1; index < 4; index++) {
        const [nd, cmd] = cfg.nCommitted(last + 1);
        check(nd === 0 || cmd === undefined, "some have committed before start()");
        last = await cfg.one(index * 100, servers, false);
        const xindex = cfg.labIndex(0, last);
        check(xindex === index, `got index ${xindex} but expected ${index}`);
      }
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: RPC byte count",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: RPC byte count");
      await cfg.one(99, servers, false);
      const bytes0 = cfg.bytesTotal();
      let sent = 0;
      for (let index = 2; index < 12; index++) {
        const cmd = randstring(sim.random, 5000);
        const xindex = cfg.labIndex(0, await cfg.one(cmd, servers, false));
        check(xindex === index, `got index ${xindex} but expected ${index}`);
        sent += cmd.length;
      }
      const got = cfg.bytesTotal() - bytes0;
      const expected = servers * sent;
      check(got <= expected + 50_000, `too many RPC bytes; got ${got}, expected ${expected}`);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: test progressive failure of followers",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: test progressive failure of followers");
      await cfg.one(101, servers, false);
      // Disconnect one follower from the network.
      const leader1 = await cfg.checkOneLeader();
      cfg.disconnect((leader1 + 1) % servers);
      // The leader and remaining follower should be able to agree despite the disconnected follower.
      await cfg.one(102, servers - 1, false);
      await sim.sleep(ET);
      await cfg.one(103, servers - 1, false);
      // Disconnect the remaining follower.
      const leader2 = await cfg.checkOneLeader();
      cfg.disconnect((leader2 + 1) % servers);
      cfg.disconnect((leader2 + 2) % servers);
      // Submit a command.
      const { index, isLeader } = cfg.raft(leader2)!.start(104);
      check(isLeader, "leader rejected start()");
      check(cfg.labIndex(leader2, index) === 4, `expected index 4, got ${index}`);
      await sim.sleep(2 * ET);
      // Check that the command did not commit.
      const [n] = cfg.nCommitted(index);
      check(n === 0, `${n} committed but no majority`);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: test failure of leaders",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: test failure of leaders");
      await cfg.one(101, servers, false);
      // Disconnect the first leader.
      const leader1 = await cfg.checkOneLeader();
      cfg.disconnect(leader1);
      // The remaining followers should elect a new leader.
      await cfg.one(102, servers - 1, false);
      await sim.sleep(ET);
      const index3 = await cfg.one(103, servers - 1, false);
      // Disconnect the new leader.
      const leader2 = await cfg.checkOneLeader();
      cfg.disconnect(leader2);
      // Submit a command to each server.
      for (let i = 0; i < servers; i++) cfg.raft(i)!.start(104);
      await sim.sleep(2 * ET);
      // Check that the command did not commit (the lab's index 4: the one after 103's).
      const [n] = cfg.nCommitted(index3 + 1);
      check(n === 0, `${n} committed but no majority`);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: agreement after follower reconnects",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: agreement after follower reconnects");
      await cfg.one(101, servers, false);
      // Disconnect one follower from the network.
      const leader = await cfg.checkOneLeader();
      cfg.disconnect((leader + 1) % servers);
      // The leader and remaining follower should be able to agree despite the disconnected follower.
      await cfg.one(102, servers - 1, false);
      await cfg.one(103, servers - 1, false);
      await sim.sleep(ET);
      await cfg.one(104, servers - 1, false);
      await cfg.one(105, servers - 1, false);
      // Re-connect.
      cfg.connect((leader + 1) % servers);
      // The full set of servers should preserve previous agreements, and be able to agree on new commands.
      await cfg.one(106, servers, true);
      await sim.sleep(ET);
      await cfg.one(107, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: no agreement if too many followers disconnect",
  simTest(async (sim) => {
    const servers = 5;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: no agreement if too many followers disconnect");
      await cfg.one(10, servers, false);
      // 3 of 5 followers disconnect.
      const leader = await cfg.checkOneLeader();
      cfg.disconnect((leader + 1) % servers);
      cfg.disconnect((leader + 2) % servers);
      cfg.disconnect((leader + 3) % servers);
      const { index, isLeader } = cfg.raft(leader)!.start(20);
      check(isLeader, "leader rejected start()");
      check(cfg.labIndex(leader, index) === 2, `expected index 2, got ${index}`);
      await sim.sleep(2 * ET);
      const [n] = cfg.nCommitted(index);
      check(n === 0, `${n} committed but no majority`);
      // Repair.
      cfg.connect((leader + 1) % servers);
      cfg.connect((leader + 2) % servers);
      cfg.connect((leader + 3) % servers);
      // The disconnected majority may have chosen a leader from among their own ranks, forgetting index 2.
      const leader2 = await cfg.checkOneLeader();
      const second = cfg.raft(leader2)!.start(30);
      check(second.isLeader, "leader2 rejected start()");
      const secondIndex = cfg.labIndex(leader2, second.index);
      check(secondIndex >= 2 && secondIndex <= 3, `unexpected index ${second.index}`);
      await cfg.one(1000, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: concurrent Start()s",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: concurrent Start()s");
      let success = false;
      attempts: for (let attempt = 0; attempt < 5; attempt++) {
        if (attempt > 0) await sim.sleep(3000);
        const leader = await cfg.checkOneLeader();
        const first = cfg.raft(leader)!.start(1);
        if (!first.isLeader) continue;
        const term = first.term;
        const iters = 5;
        // Each "goroutine" starts its command in its own task.
        const started = await Promise.all(
          Array.from({ length: iters }, async (_, i) => {
            await Promise.resolve();
            const r = cfg.raft(leader)!.start(100 + i);
            return r.term === term && r.isLeader ? r.index : undefined;
          }),
        );
        for (let j = 0; j < servers; j++) {
          if (cfg.raft(j)!.getState().term !== term) continue attempts; // term changed: can't expect low RPC counts
        }
        const cmds: unknown[] = [];
        for (const index of started) {
          if (index === undefined) continue;
          const cmd = await cfg.wait(index, servers, term);
          if (cmd === -1) continue attempts; // peers have moved on to later terms
          check(typeof cmd === "number", `value ${String(cmd)} is not a number`);
          cmds.push(cmd);
        }
        for (let i = 0; i < iters; i++) {
          check(cmds.includes(100 + i), `cmd ${100 + i} missing in ${JSON.stringify(cmds)}`);
        }
        success = true;
        break;
      }
      check(success, "term changed too often");
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: rejoin of partitioned leader",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: rejoin of partitioned leader");
      await cfg.one(101, servers, true);
      // Leader network failure.
      const leader1 = await cfg.checkOneLeader();
      cfg.disconnect(leader1);
      // Make the old leader try to agree on some entries.
      cfg.raft(leader1)!.start(102);
      cfg.raft(leader1)!.start(103);
      cfg.raft(leader1)!.start(104);
      // The new leader commits, also for index=2.
      await cfg.one(103, 2, true);
      // New leader network failure.
      const leader2 = await cfg.checkOneLeader();
      cfg.disconnect(leader2);
      // Old leader connected again.
      cfg.connect(leader1);
      await cfg.one(104, 2, true);
      // All together now.
      cfg.connect(leader2);
      await cfg.one(105, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: leader backs up quickly over incorrect follower logs",
  simTest(async (sim) => {
    const servers = 5;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: leader backs up quickly over incorrect follower logs");
      await cfg.one(randInt(sim.random), servers, true);
      // Put leader and one follower in a partition.
      const leader1 = await cfg.checkOneLeader();
      cfg.disconnect((leader1 + 2) % servers);
      cfg.disconnect((leader1 + 3) % servers);
      cfg.disconnect((leader1 + 4) % servers);
      // Submit lots of commands that won't commit.
      for (let i = 0; i < 50; i++) cfg.raft(leader1)!.start(randInt(sim.random));
      await sim.sleep(ET / 2);
      cfg.disconnect((leader1 + 0) % servers);
      cfg.disconnect((leader1 + 1) % servers);
      // Allow other partition to recover.
      cfg.connect((leader1 + 2) % servers);
      cfg.connect((leader1 + 3) % servers);
      cfg.connect((leader1 + 4) % servers);
      // Lots of successful commands to new group.
      for (let i = 0; i < 50; i++) await cfg.one(randInt(sim.random), 3, true);
      // Now another partitioned leader and one follower.
      const leader2 = await cfg.checkOneLeader();
      let other = (leader1 + 2) % servers;
      if (leader2 === other) other = (leader2 + 1) % servers;
      cfg.disconnect(other);
      // Lots more commands that won't commit.
      for (let i = 0; i < 50; i++) cfg.raft(leader2)!.start(randInt(sim.random));
      await sim.sleep(ET / 2);
      // Bring original leader back to life.
      for (let i = 0; i < servers; i++) cfg.disconnect(i);
      cfg.connect((leader1 + 0) % servers);
      cfg.connect((leader1 + 1) % servers);
      cfg.connect(other);
      // Lots of successful commands to new group.
      for (let i = 0; i < 50; i++) await cfg.one(randInt(sim.random), 3, true);
      // Now everyone.
      for (let i = 0; i < servers; i++) cfg.connect(i);
      await cfg.one(randInt(sim.random), servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3B: RPC counts aren't too high",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3B: RPC counts aren't too high");
      const rpcs = () => {
        let n = 0;
        for (let j = 0; j < servers; j++) n += cfg.rpcCount(j);
        return n;
      };
      let leader = await cfg.checkOneLeader();
      let total1 = rpcs();
      check(total1 <= 30 && total1 >= 1, `too many or few RPCs (${total1}) to elect initial leader`);
      let total2 = 0;
      let success = false;
      attempts: for (let attempt = 0; attempt < 5; attempt++) {
        if (attempt > 0) await sim.sleep(3000);
        leader = await cfg.checkOneLeader();
        total1 = rpcs();
        const iters = 10;
        const first = cfg.raft(leader)!.start(1);
        if (!first.isLeader) continue;
        const { index: starti, term } = first;
        const cmds: number[] = [];
        for (let i = 1; i < iters + 2; i++) {
          const x = randInt(sim.random);
          cmds.push(x);
          const r = cfg.raft(leader)!.start(x);
          if (r.term !== term || !r.isLeader) continue attempts;
          check(starti + i === r.index, "start() failed");
        }
        for (let i = 1; i < iters + 1; i++) {
          const cmd = await cfg.wait(starti + i, servers, term);
          if (cmd !== cmds[i - 1]) {
            if (cmd === -1) continue attempts; // term changed -- try again
            throw new Error(`wrong value ${String(cmd)} committed for index ${starti + i}; expected ${cmds}`);
          }
        }
        let failed = false;
        total2 = 0;
        for (let j = 0; j < servers; j++) {
          if (cfg.raft(j)!.getState().term !== term) failed = true; // term changed: can't expect low RPC counts
          total2 += cfg.rpcCount(j);
        }
        if (failed) continue;
        check(
          total2 - total1 <= (iters + 1 + 3) * 3,
          `too many RPCs (${total2 - total1}) for ${iters} entries`,
        );
        success = true;
        break;
      }
      check(success, "term changed too often");
      await sim.sleep(ET);
      const total3 = rpcs();
      check(total3 - total2 <= 3 * 20, `too many RPCs (${total3 - total2}) for 1 second of idleness`);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
