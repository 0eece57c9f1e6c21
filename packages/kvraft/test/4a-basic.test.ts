import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { labTests, speedTest } from "./helpers/generic.js";

const base = {
  part: "4A",
  servers: 5,
  unreliable: false,
  crash: false,
  partitions: false,
  maxRaftState: -1,
  randomKeys: false,
} as const;

labTests(base, { TestBasic4A: { clients: 1 } });

test(
  "TestSpeed4A: Test: ops complete fast enough (4A)",
  simTest(async (sim) => {
    const { msPerOp, rpcsPerOp } = await speedTest(sim, "4A", -1);
    console.log(`  speed: ${msPerOp.toFixed(2)} ms/op, ${rpcsPerOp.toFixed(2)} RPCs/op`);
  }),
);

labTests(base, { TestConcurrent4A: { clients: 5 }, TestUnreliable4A: { clients: 5, unreliable: true } });

test.run();
