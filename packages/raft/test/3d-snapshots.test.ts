import { type Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import type { RaftConfig } from "../src/index.js";
import { makeCluster } from "../src/testkit/index.js";
import { check, randInt } from "./helpers.js";

/** The lab's bound on persisted raft state once snapshots are taken. */
const MAXLOGSIZE = 2000;
const SNAPSHOT_INTERVAL = 10;

interface SnapOptions {
  disconnect: boolean;
  reliable: boolean;
  crash: boolean;
  config?: Partial<RaftConfig>;
}

async function snapcommon(
  sim: Simulation,
  title: string,
  { disconnect, reliable, crash, config }: SnapOptions,
) {
  const iters = 30;
  const servers = 3;
  const cfg = makeCluster(sim, {
    servers,
    unreliable: !reliable,
    snapshot: true,
    ...(config ? { config } : {}),
  });
  try {
    cfg.begin(title);
    await cfg.one(randInt(sim.random), servers, true);
    let leader1 = await cfg.checkOneLeader();
    for (let i = 0; i < iters; i++) {
      let victim = (leader1 + 1) % servers;
      let sender = leader1;
      if (i % 3 === 1) {
        sender = (leader1 + 1) % servers;
        victim = leader1;
      }
      if (disconnect) {
        cfg.disconnect(victim);
        await cfg.one(randInt(sim.random), servers - 1, true);
      }
      if (crash) {
        cfg.crash1(victim);
        await cfg.one(randInt(sim.random), servers - 1, true);
      }
      // Perhaps send enough to get a snapshot.
      const nn = SNAPSHOT_INTERVAL / 2 + sim.random.int(SNAPSHOT_INTERVAL);
      for (let k = 0; k < nn; k++) cfg.raft(sender)?.start(randInt(sim.random));
      // Let applier threads catch up with the starts.
      if (!disconnect && !crash) {
        // Make sure all followers have caught up, so that an InstallSnapshot RPC isn't required
        // for the basic test.
        await cfg.one(randInt(sim.random), servers, true);
      } else {
        await cfg.one(randInt(sim.random), servers - 1, true);
      }
      check(cfg.logSize() < MAXLOGSIZE, `Log size too large: ${cfg.logSize()} bytes`);
      if (disconnect) {
        // Reconnect a follower, who may be behind and need a snapshot to catch up.
        cfg.connect(victim);
        await cfg.one(randInt(sim.random), servers, true);
        leader1 = await cfg.checkOneLeader();
      }
      if (crash) {
        cfg.start1(victim);
        cfg.connect(victim);
        await cfg.one(randInt(sim.random), servers, true);
        leader1 = await cfg.checkOneLeader();
      }
    }
    cfg.end();
  } finally {
    cfg.cleanup();
  }
}

test(
  "3D: snapshots basic",
  simTest((sim) =>
    snapcommon(sim, "3D: snapshots basic", { disconnect: false, reliable: true, crash: false }),
  ),
);

test(
  "3D: install snapshots (disconnect)",
  simTest((sim) =>
    snapcommon(sim, "3D: install snapshots (disconnect)", { disconnect: true, reliable: true, crash: false }),
  ),
);

test(
  "3D: install snapshots (disconnect+unreliable)",
  simTest((sim) =>
    snapcommon(sim, "3D: install snapshots (disconnect+unreliable)", {
      disconnect: true,
      reliable: false,
      crash: false,
    }),
  ),
);

test(
  "3D: install snapshots (crash)",
  simTest((sim) =>
    snapcommon(sim, "3D: install snapshots (crash)", { disconnect: false, reliable: true, crash: true }),
  ),
);

test(
  "3D: install snapshots (unreliable+crash)",
  simTest((sim) =>
    snapcommon(sim, "3D: install snapshots (unreliable+crash)", {
      disconnect: false,
      reliable: false,
      crash: true,
    }),
  ),
);

test(
  "3D: crash and restart all servers",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers, snapshot: true });
    try {
      cfg.begin("3D: crash and restart all servers");
      await cfg.one(randInt(sim.random), servers, true);
      for (let iter = 0; iter < 5; iter++) {
        // Perhaps enough to get a snapshot.
        const nn = SNAPSHOT_INTERVAL / 2 + sim.random.int(SNAPSHOT_INTERVAL);
        for (let k = 0; k < nn; k++) await cfg.one(randInt(sim.random), servers, true);
        const index1 = await cfg.one(randInt(sim.random), servers, true);
        // Crash all, then revive all.
        for (let i = 0; i < servers; i++) cfg.crash1(i);
        for (let i = 0; i < servers; i++) {
          cfg.start1(i);
          cfg.connect(i);
        }
        const index2 = await cfg.one(randInt(sim.random), servers, true);
        check(index2 >= index1 + 1, `index decreased from ${index1} to ${index2}`);
      }
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "3D: snapshot initialization after crash",
  simTest(async (sim) => {
    const servers = 3;
    const cfg = makeCluster(sim, { servers, snapshot: true });
    const crashAndReviveAll = () => {
      for (let i = 0; i < servers; i++) cfg.crash1(i);
      for (let i = 0; i < servers; i++) {
        cfg.start1(i);
        cfg.connect(i);
      }
    };
    try {
      cfg.begin("3D: snapshot initialization after crash");
      await cfg.one(randInt(sim.random), servers, true);
      // Enough ops to make a snapshot.
      for (let k = 0; k < SNAPSHOT_INTERVAL + 1; k++) await cfg.one(randInt(sim.random), servers, true);
      crashAndReviveAll();
      // A single op, to get something written back to persistent storage.
      await cfg.one(randInt(sim.random), servers, true);
      crashAndReviveAll();
      // Another op, to trigger a raft that forgot its snapshot when it saved again.
      await cfg.one(randInt(sim.random), servers, true);
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

// Not a lab test: the same scenario with snapshots cut into 256-byte chunks (dozens per snapshot),
// so that chunk loss, reordering, resends and a leader change mid-transfer are exercised.
test(
  "3D (chunked): install snapshots in 256-byte chunks (disconnect+unreliable)",
  simTest((sim) =>
    snapcommon(sim, "3D (chunked): install snapshots in 256-byte chunks (disconnect+unreliable)", {
      disconnect: true,
      reliable: false,
      crash: false,
      config: { maxMessageBytes: 256, maxProposalBytes: 256 },
    }),
  ),
);

test.run();
