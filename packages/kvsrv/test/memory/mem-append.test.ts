// Run alone, with --expose-gc: node --expose-gc --import tsx test/memory/mem-append.test.ts
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { memAppend } from "../helpers/memory-scenarios.js";

test("TestMemAppend2: Test: memory use append", simTest(memAppend));

test.run();
