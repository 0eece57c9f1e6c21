import { test } from "uvu";
import { HARDEST_MIX, labTests } from "./helpers/generic.js";

labTests(
  {
    part: "4B",
    clients: 5,
    servers: 5,
    unreliable: true,
    crash: true,
    partitions: false,
    maxRaftState: 1000,
    randomKeys: false,
  },
  {
    TestSnapshotRecover4B: { clients: 1, unreliable: false },
    TestSnapshotRecoverManyClients4B: { clients: 20, unreliable: false },
    TestSnapshotUnreliable4B: { crash: false },
    TestSnapshotUnreliableRecover4B: {},
    TestSnapshotUnreliableRecoverConcurrentPartition4B: { partitions: true },
    TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable4B: HARDEST_MIX,
  },
);

test.run();
