import { simTest } from "@raftkit/labrpc";
import { SERVICE_METHODS, type WireReply } from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KvRaftConfig, readsSuffix } from "./helpers/config.js";
import { genericTest, HARDEST_MIX } from "./helpers/generic.js";
import { onePartitionTest } from "./helpers/one-partition.js";

/**
 * The options `reads: "read-index"` and `reads: "lease"` (the service layer's read() on raft's
 * readIndex()): the lab scenarios that can catch a stale read (a leader in a minority,
 * partitions, restarts, random keys, snapshots), with every history checked by porcupine.
 */

for (const reads of ["read-index", "lease"] as const) {
  test(
    `a Get adds no log entry; a cut-off leader serves none${readsSuffix(reads)}`,
    simTest(async (sim) => {
      const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: -1, reads });
      try {
        const ck = cfg.makeClient(cfg.all());
        await ck.put("a", "1");
        const leader = cfg.leader()!;
        const server = cfg.server(leader)!;
        const before = server.raft.lastIndex;
        const read = () =>
          Promise.resolve(server.handle(SERVICE_METHODS.read, { query: "a" })) as Promise<WireReply>;
        assert.equal(await read(), { status: "ok", value: "1" });
        assert.is(await ck.get("a"), "1");
        assert.is(server.raft.lastIndex, before);

        cfg.disconnect(leader, cfg.all());
        await ck.put("a", "2"); // a new leader in the majority
        const cutOffIndex = server.raft.lastIndex;
        // TIMEOUT while it still believes it leads; NOT_LEADER once check-quorum has deposed it.
        const cutOff = await read();
        const code = cutOff.status === "error" ? cutOff.code : "ok";
        assert.ok(["TIMEOUT", "NOT_LEADER"].includes(code), `answered ${code}`);
        assert.is(server.raft.lastIndex, cutOffIndex);
      } finally {
        cfg.cleanup();
      }
    }),
  );

  test(
    `Test: progress in majority / no progress in minority / completion after heal (4A)${readsSuffix(reads)}`,
    simTest((sim) => onePartitionTest(sim, reads)),
  );

  test(
    `Test: unreliable net, restarts, partitions, snapshots, many clients (4B)${readsSuffix(reads)}`,
    simTest(async (sim) => {
      await genericTest(sim, {
        reads,
        randomKeys: false,
        part: "4B",
        clients: 5,
        servers: 5,
        unreliable: true,
        crash: true,
        partitions: true,
        maxRaftState: 1000,
      });
    }),
  );
}

// ReadIndex only: the lease runs the same code after its check, so these add little for it.
const base = { reads: "read-index", randomKeys: false, maxRaftState: -1 } as const;

test(
  "Test: partitions, many clients (4A) [ReadIndex reads]",
  simTest(async (sim) => {
    await genericTest(sim, {
      ...base,
      part: "4A",
      clients: 5,
      servers: 5,
      unreliable: false,
      crash: false,
      partitions: true,
    });
  }),
);

test(
  "Test: unreliable net, restarts, partitions, random keys, many clients (4A) [ReadIndex reads]",
  simTest(async (sim) => {
    await genericTest(sim, {
      ...base,
      part: "4A",
      ...HARDEST_MIX,
      crash: true,
    });
  }),
);

test.run();
