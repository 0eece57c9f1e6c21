import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { genericTest, speedTest } from "./helpers/generic.js";

const base = {
  part: "4A",
  unreliable: false,
  crash: false,
  partitions: false,
  maxRaftState: -1,
  randomKeys: false,
} as const;

test(
  "TestBasic4A: Test: one client (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 1, servers: 5 });
  }),
);

test(
  "TestSpeed4A: Test: ops complete fast enough (4A)",
  simTest(async (sim) => {
    const { msPerOp, rpcsPerOp } = await speedTest(sim, "4A", -1);
    console.log(`  speed: ${msPerOp.toFixed(2)} ms/op, ${rpcsPerOp.toFixed(2)} RPCs/op`);
  }),
);

test(
  "TestConcurrent4A: Test: many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, servers: 5 });
  }),
);

test(
  "TestUnreliable4A: Test: unreliable net, many clients (4A)",
  simTest(async (sim) => {
    await genericTest(sim, { ...base, clients: 5, servers: 5, unreliable: true });
  }),
);

test.run();
