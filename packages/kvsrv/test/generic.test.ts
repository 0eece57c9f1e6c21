import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { genericTest } from "./helpers/generic.js";

test(
  "TestBasic2: Test: one client",
  simTest((sim) => genericTest(sim, "Test: one client", 1, false)),
);

test(
  "TestConcurrent2: Test: many clients",
  simTest((sim) => genericTest(sim, "Test: many clients", 5, false)),
);

test(
  "TestUnreliable2: Test: unreliable net, many clients",
  simTest((sim) => genericTest(sim, "Test: unreliable net, many clients", 5, true)),
);

test.run();
