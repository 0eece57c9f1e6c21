import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { genericTest } from "./helpers/generic.js";

const base = {
  part: "4A",
  unreliable: false,
  crash: false,
  partitions: true,
  maxRaftState: -1,
  randomKeys: false,
} as const;

test(
  "TestManyPartitionsOneClient4A: Test: partitions, one client (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 1, servers: 5 });
  }),
);

test(
  "TestManyPartitionsManyClients4A: Test: partitions, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, servers: 5 });
  }),
);

test.run();
