import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { onePartitionTest } from "./helpers/one-partition.js";

test(
  "TestOnePartition4A: Test: progress in majority / no progress in minority / completion after heal (4A)",
  simTest((sim) => onePartitionTest(sim, "log")),
);

test.run();
