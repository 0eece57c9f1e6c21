// Run alone, with --expose-gc: node --expose-gc --import tsx test/memory/mem-get.test.ts
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { memGet } from "../helpers/memory-scenarios.js";

test("TestMemGet2: Test: memory use get", simTest(memGet));

test.run();
