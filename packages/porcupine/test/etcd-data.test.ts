import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkEvents, registerModel } from "../src/index.js";
import { etcdExpected, etcdFiles, readDataFile } from "./helpers/data.js";
import { parseEtcdLog } from "./helpers/etcd.js";

// A missing data folder fails this test with the reason instead of crashing the whole file.
let files: string[] = [];
let missing: unknown;
try {
  files = etcdFiles();
} catch (error) {
  missing = error;
}

test("the data folder holds all 103 etcd logs", () => {
  if (missing !== undefined) throw missing;
  assert.is(files.length, 103);
});

for (const file of files) {
  const expected = etcdExpected(file);
  test(`jepsen/${file} is ${expected === "ok" ? "linearizable" : "not linearizable"}`, () => {
    const events = parseEtcdLog(readDataFile(`jepsen/${file}`));
    if (file === "etcd_095.log") assert.is(events.length, 0, "etcd_095 is the empty log");
    assert.is(checkEvents(registerModel, events), expected);
  });
}

test.run();
