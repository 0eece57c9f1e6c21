import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { genericTest } from "./helpers/generic.js";

const base = { part: "4A", crash: true, maxRaftState: -1, randomKeys: false, servers: 5 } as const;

test(
  "TestPersistOneClient4A: Test: restarts, one client (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 1, unreliable: false, partitions: false });
  }),
);

test(
  "TestPersistConcurrent4A: Test: restarts, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: false, partitions: false });
  }),
);

test(
  "TestPersistConcurrentUnreliable4A: Test: unreliable net, restarts, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: true, partitions: false });
  }),
);

test(
  "TestPersistPartition4A: Test: restarts, partitions, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: false, partitions: true });
  }),
);

test(
  "TestPersistPartitionUnreliable4A: Test: unreliable net, restarts, partitions, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, unreliable: true, partitions: true });
  }),
);

test(
  "TestPersistPartitionUnreliableLinearizable4A: Test: unreliable net, restarts, partitions, random keys, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, {
      ...base,
      clients: 15,
      servers: 7,
      unreliable: true,
      partitions: true,
      randomKeys: true,
    });
  }),
);

test.run();
