import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { genericTest } from "./helpers/generic.js";

/**
 * Beyond the lab: the hardest lab mix plus labrpc's long reordering (2/3 of replies 200–2200 ms
 * late), so stale AppendEntries replies, late votes and late client replies all happen.
 */
test(
  "beyond the lab: long reordering, unreliable net, restarts, partitions, snapshots, many clients",
  simTest(async (sim) => {
    await genericTest(sim, {
      part: "4B",
      clients: 5,
      servers: 5,
      unreliable: true,
      crash: true,
      partitions: true,
      maxRaftState: 1000,
      randomKeys: false,
      longReordering: true,
    });
  }),
);

test(
  "beyond the lab: long reordering, unreliable net, partitions, random keys, many clients",
  simTest(async (sim) => {
    await genericTest(sim, {
      part: "4A",
      clients: 7,
      servers: 5,
      unreliable: true,
      crash: false,
      partitions: true,
      maxRaftState: -1,
      randomKeys: true,
      longReordering: true,
    });
  }),
);

test.run();
