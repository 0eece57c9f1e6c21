import { test } from "uvu";
import { labTests } from "./helpers/generic.js";

labTests(
  {
    part: "4A",
    servers: 5,
    unreliable: false,
    crash: false,
    partitions: true,
    maxRaftState: -1,
    randomKeys: false,
  },
  {
    TestManyPartitionsOneClient4A: { clients: 1 },
    TestManyPartitionsManyClients4A: { clients: 5 },
  },
);

test.run();
