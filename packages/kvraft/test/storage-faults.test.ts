import { simTest } from "@raftkit/labrpc";
import type { MemoryPersister } from "@raftkit/raft";
import { FaultyStorage } from "@raftkit/raft/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KvRaftEntry } from "../src/index.js";
import { checkClientAppends, element } from "./helpers/checks.js";
import { KvRaftConfig } from "./helpers/config.js";

test(
  "power losses that lose every write not yet durable (fsync 0-40 ms late) lose no acknowledged Append",
  simTest(async (sim) => {
    // Each server's current disk: the harness starts servers 0..n-1 in order, then the restarted one.
    const disks: FaultyStorage<MemoryPersister<KvRaftEntry>>[] = [];
    let starting = 0;
    const cfg = new KvRaftConfig(sim, {
      servers: 3,
      unreliable: false,
      maxRaftState: 2000,
      // The harness restarts a server from a copy of the inner storage: what is held here is lost.
      wrapStorage: (inner) => {
        const disk = new FaultyStorage(inner, { clock: sim, random: sim.random });
        disk.stallWrites(40);
        disks[starting++] = disk;
        return disk;
      },
    });
    try {
      const clients = 4;
      const counts = new Array<number>(clients).fill(0);
      let done = false;
      const running = counts.map(async (_, cli) => {
        const ck = cfg.makeClient(cfg.all());
        while (!done) {
          await ck.append(`k${cli}`, element(cli, counts[cli]!));
          counts[cli]!++; // acknowledged
        }
      });
      let lost = 0;
      for (let round = 0; round < 8; round++) {
        await sim.sleep(1500 + sim.random.int(1000));
        // A power loss: every server stops at once, and each disk loses every write still held.
        // (A single crash is not enough: the other replicas would still hold what it lost.)
        for (let i = 0; i < cfg.n; i++) {
          cfg.shutdownServer(i);
          lost += disks[i]!.crash();
        }
        await sim.sleep(sim.random.int(300));
        for (let i = 0; i < cfg.n; i++) {
          starting = i;
          cfg.startServer(i);
        }
        cfg.connectAll();
      }
      done = true;
      await Promise.all(running);
      const ck = cfg.makeClient(cfg.all());
      for (let cli = 0; cli < clients; cli++) checkClientAppends(cli, await ck.get(`k${cli}`), counts[cli]!);
      assert.ok(lost > 0, "some crash lost writes that were not yet durable");
      assert.ok(
        counts.every((n) => n > 10),
        `progress: ${counts.join(", ")} appends`,
      );
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
