import { test } from "uvu";
import { HARDEST_MIX, labTests } from "./helpers/generic.js";

labTests(
  {
    part: "4A",
    clients: 5,
    servers: 5,
    unreliable: false,
    crash: true,
    partitions: false,
    maxRaftState: -1,
    randomKeys: false,
  },
  {
    TestPersistOneClient4A: { clients: 1 },
    TestPersistConcurrent4A: {},
    TestPersistConcurrentUnreliable4A: { unreliable: true },
    TestPersistPartition4A: { partitions: true },
    TestPersistPartitionUnreliable4A: { unreliable: true, partitions: true },
    TestPersistPartitionUnreliableLinearizable4A: HARDEST_MIX,
  },
);

test.run();
