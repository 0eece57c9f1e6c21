// Run alone, with --expose-gc: node --expose-gc --import tsx test/memory/mem-put.test.ts
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { memPut } from "../helpers/memory-scenarios.js";

test("TestMemPut2: Test: memory use put", simTest(memPut));

test.run();
