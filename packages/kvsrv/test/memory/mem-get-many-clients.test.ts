// Run alone, with --expose-gc: node --expose-gc --import tsx test/memory/mem-get-many-clients.test.ts
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { memGetManyClients } from "../helpers/memory-scenarios.js";

test("TestMemGetManyClients: Test: memory use many get client", simTest(memGetManyClients));

test.run();
