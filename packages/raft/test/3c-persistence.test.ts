import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { ELECTION_TIMEOUT_MS as ET, makeCluster } from "../src/testkit/index.js";
import { check, randInt } from "./helpers.js";

test(
  "3C: basic persistence",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3C: basic persistence");
      await cfg.one(11, servers, true);
      // Crash and re-start all.
      for (let i = 0; i < servers; i++) cfg.start1(i);
      for (let i = 0; i < servers; i++) {
        cfg.disconnect(i);
        cfg.connect(i);
      }
      await cfg.one(12, servers, true);
      const leader1 = await cfg.checkOneLeader();
      cfg.disconnect(leader1);
      cfg.start1(leader1);
      cfg.connect(leader1);
      await cfg.one(13, servers, true);
      const leader2 = await cfg.checkOneLeader();
      cfg.disconnect(leader2);
      await cfg.one(14, servers - 1, true);
      cfg.start1(leader2);
      cfg.connect(leader2);
      await cfg.wait(4, servers, -1); // wait for leader2 to join before killing i3
      const i3 = ((await cfg.checkOneLeader()) + 1) % servers;
      cfg.disconnect(i3);
      await cfg.one(15, servers - 1, true);
      cfg.start1(i3);
      cfg.connect(i3);
      await cfg.one(16, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3C: more persistence",
  simTest(async (sim) => {
    const servers = 5;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3C: more persistence");
      let index = 1;
      for (let iters = 0; iters < 5; iters++) {
        await cfg.one(10 + index, servers, true);
        index++;
        const leader1 = await cfg.checkOneLeader();
        cfg.disconnect((leader1 + 1) % servers);
        cfg.disconnect((leader1 + 2) % servers);
        await cfg.one(10 + index, servers - 2, true);
        index++;
        cfg.disconnect((leader1 + 0) % servers);
        cfg.disconnect((leader1 + 3) % servers);
        cfg.disconnect((leader1 + 4) % servers);
        cfg.start1((leader1 + 1) % servers);
        cfg.start1((leader1 + 2) % servers);
        cfg.connect((leader1 + 1) % servers);
        cfg.connect((leader1 + 2) % servers);
        await sim.sleep(ET);
        cfg.start1((leader1 + 3) % servers);
        cfg.connect((leader1 + 3) % servers);
        await cfg.one(10 + index, servers - 2, true);
        index++;
        cfg.connect((leader1 + 4) % servers);
        cfg.connect((leader1 + 0) % servers);
      }
      await cfg.one(1000, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3C: partitioned leader and one follower crash, leader restarts",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3C: partitioned leader and one follower crash, leader restarts");
      await cfg.one(101, 3, true);
      const leader = await cfg.checkOneLeader();
      cfg.disconnect((leader + 2) % servers);
      await cfg.one(102, 2, true);
      cfg.crash1((leader + 0) % servers);
      cfg.crash1((leader + 1) % servers);
      cfg.connect((leader + 2) % servers);
      cfg.start1((leader + 0) % servers);
      cfg.connect((leader + 0) % servers);
      await cfg.one(103, 2, true);
      cfg.start1((leader + 1) % servers);
      cfg.connect((leader + 1) % servers);
      await cfg.one(104, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

/** The lab's pause between iterations: usually 0–12 ms, one time in ten up to half an election timeout. */
function figure8Pause(random: { int(n: number): number }): number {
  return random.int(1000) < 100 ? random.int(ET / 2) : random.int(13);
}

test(
  "3C: Figure 8",
  simTest(async (sim) => {
    const servers = 5;
    const cfg = makeCluster(sim, { servers });
    try {
      cfg.begin("3C: Figure 8");
      await cfg.one(randInt(sim.random), 1, true);
      let nup = servers;
      for (let iters = 0; iters < 1000; iters++) {
        let leader = -1;
        for (let i = 0; i < servers; i++) {
          const raft = cfg.raft(i);
          if (raft?.start(randInt(sim.random)).isLeader) leader = i;
        }
        await sim.sleep(figure8Pause(sim.random));
        if (leader !== -1) {
          cfg.crash1(leader);
          nup--;
        }
        if (nup < 3) {
          const s = sim.random.int(servers);
          if (!cfg.raft(s)) {
            cfg.start1(s);
            cfg.connect(s);
            nup++;
          }
        }
      }
      for (let i = 0; i < servers; i++) {
        if (!cfg.raft(i)) {
          cfg.start1(i);
          cfg.connect(i);
        }
      }
      await cfg.one(randInt(sim.random), servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3C: unreliable agreement",
  simTest(async (sim) => {
    const servers = 5;
    const cfg = makeCluster(sim, { servers, unreliable: true });
    try {
      cfg.begin("3C: unreliable agreement");
      const clients: Promise<number>[] = [];
      for (let iters = 1; iters < 50; iters++) {
        for (let j = 0; j < 4; j++) clients.push(cfg.one(100 * iters + j, 1, true));
        await cfg.one(iters, 1, true);
      }
      cfg.setUnreliable(false);
      await Promise.all(clients);
      await cfg.one(100, servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3C: Figure 8 (unreliable)",
  simTest(async (sim) => {
    const servers = 5;
    const cfg = makeCluster(sim, { servers, unreliable: true });
    try {
      cfg.begin("3C: Figure 8 (unreliable)");
      await cfg.one(sim.random.int(10_000), 1, true);
      let nup = servers;
      for (let iters = 0; iters < 1000; iters++) {
        if (iters === 200) cfg.setLongReordering(true);
        let leader = -1;
        for (let i = 0; i < servers; i++) {
          const { isLeader } = cfg.raft(i)!.start(sim.random.int(10_000));
          if (isLeader && cfg.isConnected(i)) leader = i;
        }
        await sim.sleep(figure8Pause(sim.random));
        if (leader !== -1 && sim.random.int(1000) < ET / 2) {
          cfg.disconnect(leader);
          nup--;
        }
        if (nup < 3) {
          const s = sim.random.int(servers);
          if (!cfg.isConnected(s)) {
            cfg.connect(s);
            nup++;
          }
        }
      }
      for (let i = 0; i < servers; i++) if (!cfg.isConnected(i)) cfg.connect(i);
      await cfg.one(sim.random.int(10_000), servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

async function churn(sim: Parameters<Parameters<typeof simTest>[0]>[0], unreliable: boolean, title: string) {
  const servers = 5;
  const cfg = makeCluster(sim, { servers, unreliable });
  try {
    cfg.begin(title);
    let stop = false;
    const client = async (me: number): Promise<number[]> => {
      const values: number[] = [];
      while (!stop) {
        const x = randInt(sim.random);
        let index = -1;
        let ok = false;
        for (let i = 0; i < servers; i++) {
          const result = cfg.raft(i)?.start(x);
          if (result?.isLeader) {
            ok = true;
            index = result.index;
          }
        }
        if (ok) {
          // Maybe leader will commit our value, maybe not. But don't wait forever.
          for (const pause of [10, 20, 50, 100, 200]) {
            const [nd, cmd] = cfg.nCommitted(index);
            if (nd > 0) {
              check(typeof cmd === "number", "wrong command type");
              if (cmd === x) values.push(x);
              break;
            }
            await sim.sleep(pause);
          }
        } else {
          await sim.sleep(79 + me * 17);
        }
      }
      return values;
    };
    const clients = [0, 1, 2].map(client);
    for (let iters = 0; iters < 20; iters++) {
      if (sim.random.int(1000) < 200) cfg.disconnect(sim.random.int(servers));
      if (sim.random.int(1000) < 500) {
        const i = sim.random.int(servers);
        if (!cfg.raft(i)) cfg.start1(i);
        cfg.connect(i);
      }
      if (sim.random.int(1000) < 200) {
        const i = sim.random.int(servers);
        if (cfg.raft(i)) cfg.crash1(i);
      }
      // Crash/restart infrequent enough that the peers can often keep up, but not so infrequent
      // that everything has settled down from one change to the next.
      await sim.sleep((ET * 7) / 10);
    }
    await sim.sleep(ET);
    cfg.setUnreliable(false);
    for (let i = 0; i < servers; i++) {
      if (!cfg.raft(i)) cfg.start1(i);
      cfg.connect(i);
    }
    stop = true;
    const values = (await Promise.all(clients)).flat();
    await sim.sleep(ET);
    const lastIndex = await cfg.one(randInt(sim.random), servers, true);
    const really = new Set<unknown>();
    for (let index = 1; index <= lastIndex; index++) {
      const v = await cfg.wait(index, servers, -1);
      if (v === undefined) continue; // a leader's no-op entry
      check(typeof v === "number", "not a number");
      really.add(v);
    }
    for (const v of values) check(really.has(v), `didn't find a value (${v})`);
    cfg.end();
  } finally {
    cfg.cleanup();
  }
}

test(
  "3C: churn",
  simTest((sim) => churn(sim, false, "3C: churn")),
);

test(
  "3C: unreliable churn",
  simTest((sim) => churn(sim, true, "3C: unreliable churn")),
);

test.run();
