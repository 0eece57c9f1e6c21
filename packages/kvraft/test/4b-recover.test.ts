import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { genericTest } from "./helpers/generic.js";

const base = { part: "4B", servers: 5, maxRaftState: 1000, randomKeys: false } as const;

test(
  "TestSnapshotRecover4B: Test: restarts, snapshots, one client (4B)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 1, unreliable: false, crash: true, partitions: false });
  }),
);

test(
  "TestSnapshotRecoverManyClients4B: Test: restarts, snapshots, many clients (4B)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 20, unreliable: false, crash: true, partitions: false });
  }),
);

test(
  "TestSnapshotUnreliable4B: Test: unreliable net, snapshots, many clients (4B)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: true, crash: false, partitions: false });
  }),
);

test(
  "TestSnapshotUnreliableRecover4B: Test: unreliable net, restarts, snapshots, many clients (4B)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: true, crash: true, partitions: false });
  }),
);

test(
  "TestSnapshotUnreliableRecoverConcurrentPartition4B: Test: unreliable net, restarts, partitions, snapshots, many clients (4B)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: true, crash: true, partitions: true });
  }),
);

test(
  "TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable4B: Test: unreliable net, restarts, partitions, snapshots, random keys, many clients (4B)",
  simTest(async (sim) => {
    await genericTest(sim, {
      ...base,
      clients: 15,
      servers: 7,
      unreliable: true,
      crash: true,
      partitions: true,
      randomKeys: true,
    });
  }),
);

test.run();
