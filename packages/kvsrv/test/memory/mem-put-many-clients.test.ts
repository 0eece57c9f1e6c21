// Run alone, with --expose-gc: node --expose-gc --import tsx test/memory/mem-put-many-clients.test.ts
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import { memPutManyClients } from "../helpers/memory-scenarios.js";

test("TestMemPutManyClients: Test: memory use many put clients", simTest(memPutManyClients));

test.run();
