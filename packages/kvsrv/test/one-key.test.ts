import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { checkConcurrentAppends, element } from "./helpers/checks.js";
import { append, get, KvTestConfig, put } from "./helpers/config.js";
import type { KvOperation } from "./helpers/linearizability.js";
import { checkLinearizable } from "./helpers/linearizability.js";

const NCLIENT = 5;
const UPDATES = 10;

test(
  "TestUnreliableOneKey2: Test: concurrent append to same key, unreliable",
  simTest(async (sim) => {
    const cfg = new KvTestConfig(sim, { reliable: false });
    const ck = cfg.makeClient().clerk;
    const log: KvOperation[] = [];
    cfg.begin("Test: concurrent append to same key, unreliable");
    await put(cfg, ck, "k", "", log, NCLIENT);
    await Promise.all(
      Array.from({ length: NCLIENT }, async (_, me) => {
        const client = cfg.makeClient();
        for (let n = 0; n < UPDATES; n++) {
          const nv = element(me, n);
          const old = await append(cfg, client.clerk, "k", nv, log, me);
          if (old.includes(nv)) throw new Error(`error: new value ${nv} in returned values ${old}`);
        }
        cfg.deleteClient(client);
      }),
    );
    const value = await get(cfg, ck, "k", log, NCLIENT);
    checkConcurrentAppends(value, Array(NCLIENT).fill(UPDATES));
    await checkLinearizable(log);
    cfg.end();
    cfg.cleanup();
  }),
);

test.run();
