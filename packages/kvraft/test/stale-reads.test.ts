import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { KvRaftConfig } from "./helpers/config.js";
import { checkLinearizable, type KvOperation } from "./helpers/linearizability.js";
import { get, put } from "./helpers/ops.js";

/**
 * Beyond the lab, aimed at stale reads: the leader is cut off with a minority while a clerk
 * that can reach only the minority keeps reading and clerks in the majority keep writing. A
 * server that answered a Get without a majority would hand out an old value, and porcupine
 * would reject the history; a correct one leaves the minority reads pending until the heal.
 */
for (const reads of ["log", "read-index", "lease"] as const) {
  test(
    `stale reads: a deposed leader in a minority never answers a Get (${reads} reads)`,
    simTest(async (sim) => {
      const cfg = new KvRaftConfig(sim, { servers: 5, unreliable: false, maxRaftState: -1, reads });
      try {
        const log: KvOperation[] = [];
        cfg.begin(`Test: stale reads from a deposed leader [${reads} reads]`);
        const ck = cfg.makeClient(cfg.all());
        for (let round = 0; round < 3; round++) {
          await put(cfg, ck, "k", `r${round}`, log, 0);
          await get(cfg, ck, "k", log, 0);
          const [majority, minority] = cfg.makePartition();
          cfg.partition(majority, minority);
          const writer = cfg.makeClient(majority);
          const readers = [0, 1].map(() => cfg.makeClient(minority));
          let stop = false;
          const reading = readers.map(async (reader, r) => {
            while (!stop) await get(cfg, reader, "k", log, 2 + r);
          });
          for (let i = 0; i < 20; i++) await put(cfg, writer, "k", `r${round}.${i}`, log, 1);
          await sim.sleep(500);
          stop = true;
          cfg.connectAll();
          for (const reader of readers) cfg.connectClient(reader, cfg.all());
          await Promise.all(reading);
          cfg.deleteClient(writer);
          for (const reader of readers) cfg.deleteClient(reader);
        }
        await checkLinearizable(log);
        cfg.end();
      } finally {
        cfg.cleanup();
      }
    }),
  );
}

test.run();
