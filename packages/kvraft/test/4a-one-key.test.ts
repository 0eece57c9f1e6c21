import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { checkAppendOrder, checkConcurrentAppends, element } from "./helpers/checks.js";
import { KvRaftConfig } from "./helpers/config.js";
import type { KvOperation } from "./helpers/linearizability.js";
import { append, get, put } from "./helpers/ops.js";

test(
  "TestUnreliableOneKey4A: Test: concurrent append to same key, unreliable (4A)",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: true, maxRaftState: -1 });
    try {
      const ck = cfg.makeClient(cfg.all());
      const log: KvOperation[] = [];
      cfg.begin("Test: concurrent append to same key, unreliable (4A)");
      await put(cfg, ck, "k", "", log, 0);
      const clients = 5;
      const upto = 10;
      await Promise.all(
        Array.from({ length: clients }, async (_, me) => {
          const myck = cfg.makeClient(cfg.all());
          for (let n = 0; n < upto; n++) await append(cfg, myck, "k", element(me, n), log, me + 1);
          cfg.deleteClient(myck);
        }),
      );
      const value = await get(cfg, ck, "k", log, 0);
      checkConcurrentAppends(value, new Array<number>(clients).fill(upto));
      // The lab records no history here; porcupine cannot order 50 concurrent Appends that only
      // the final Get observes within any budget, so decide linearizability directly.
      const appends = log.filter((op) => op.input.op === "append");
      checkAppendOrder(
        appends.map((op) => ({ value: op.input.value ?? "", call: op.call, return: op.return })),
        value,
      );
      cfg.end();
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
