import { simTest } from "@raftkit/labrpc";
import { ValueTooLargeError } from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KvRaftConfig } from "./helpers/config.js";

test(
  "a write over maxCommandBytes is refused with ValueTooLargeError naming size and limit, and nothing is logged",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, {
      servers: 3,
      unreliable: false,
      maxRaftState: -1,
      maxCommandBytes: 1000,
    });
    try {
      const ck = cfg.makeClient(cfg.all());
      await ck.put("small", "ok");
      const leader = cfg.leader()!;
      const before = cfg.server(leader)!.raft.lastIndex;
      const error = await ck.put("big", "x".repeat(5000)).catch((e: unknown) => e);
      assert.instance(error, ValueTooLargeError);
      assert.ok((error as ValueTooLargeError).sizeBytes > 5000);
      assert.is((error as ValueTooLargeError).limitBytes, 1000);
      assert.is(cfg.server(leader)!.raft.lastIndex, before, "nothing was logged");
      assert.is(await ck.get("small"), "ok");
    } finally {
      cfg.cleanup();
    }
  }),
);

test.run();
