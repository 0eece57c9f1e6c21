// Run alone, with --expose-gc: node --expose-gc --import tsx test/memory/mem-many-appends.test.ts
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { memManyAppends } from "../helpers/memory-scenarios.js";

test("TestMemManyAppends: Test: memory use many appends", simTest(memManyAppends));

test.run();
