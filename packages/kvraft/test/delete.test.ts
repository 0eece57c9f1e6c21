import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KvRaftConfig } from "./helpers/config.js";

// Delete through the replicated log, and a missing key told apart from an empty value, in both
// read modes, across a restart of every server from snapshots.

for (const reads of ["log", "read-index"] as const) {
  test(
    `Delete removes a key on every replica, survives restarts and snapshots; lookup tells missing from empty (${reads} reads)`,
    simTest(async (sim) => {
      const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: 300, reads });
      try {
        const ck = cfg.makeClient(cfg.all());
        await ck.put("gone", "soon");
        await ck.put("empty", "");
        for (let i = 0; i < 20; i++) await ck.append("filler", `${i},`); // forces snapshots
        await ck.delete("gone");
        await ck.delete("never-there");
        assert.is(await ck.lookup("gone"), undefined);
        assert.is(await ck.lookup("empty"), "");
        assert.is(await ck.get("gone"), "");
        assert.ok(cfg.snapshotSize() > 0, "a snapshot was taken");

        for (const i of cfg.all()) cfg.shutdownServer(i);
        for (const i of cfg.all()) cfg.startServer(i);
        cfg.connectAll();
        const again = cfg.makeClient(cfg.all());
        assert.is(await again.lookup("gone"), undefined, "the delete survived the restart");
        assert.is(await again.lookup("empty"), "");
        await again.put("gone", "back");
        assert.is(await ck.lookup("gone"), "back");
      } finally {
        cfg.cleanup();
      }
    }),
  );
}

test.run();
