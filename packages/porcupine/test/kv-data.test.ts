import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkEvents, checkOperations, eventsToOperations, kvModel } from "../src/index.js";
import { KV_FILES, readDataFile } from "./helpers/data.js";
import { kvNoPartitionModel, parseKvLog } from "./helpers/kv.js";

const load = (file: string) => parseKvLog(readDataFile(`kv/${file}.txt`));

for (const file of KV_FILES) {
  const expected = file.endsWith("-ok") ? "ok" : "illegal";
  test(`kv/${file} partitioned by key is ${expected}`, () => {
    assert.is(checkEvents(kvModel, load(file)), expected);
  });
}

/** Per-key answers from the data README; keys 0 and 9 of c50-bad are undecided even for Go's porcupine. */
const ILLEGAL_KEYS: Record<string, string[]> = {
  "c01-bad": ["7"],
  "c10-bad": ["0", "1", "2", "3", "5", "6", "7", "9"],
  "c50-bad": ["1", "2", "3", "4", "5", "6", "7", "8"],
};
const UNDECIDED_KEYS: Record<string, string[]> = { "c50-bad": ["0", "9"] };

for (const file of KV_FILES) {
  test(`kv/${file}: each key on its own gives the expected answer`, () => {
    const parts = kvModel.partition!(eventsToOperations(load(file)));
    assert.is(parts.length, file.startsWith("c01") ? parts.length : 10);
    for (const part of parts) {
      const key = part[0]!.input.key;
      if (UNDECIDED_KEYS[file]?.includes(key)) continue;
      const expected = ILLEGAL_KEYS[file]?.includes(key) ? "illegal" : "ok";
      assert.is(checkOperations(kvModel, part), expected, `${file} key ${key}`);
    }
  });
}

for (const file of ["c01-ok", "c01-bad", "c10-ok", "c10-bad"]) {
  const expected = file.endsWith("-ok") ? "ok" : "illegal";
  test(`kv/${file} unpartitioned (the whole store as one state) is ${expected}`, () => {
    assert.is(checkEvents(kvNoPartitionModel, load(file)), expected);
  });
}

test("kv/c50-bad: an illegal key is found fast although keys 0 and 9 alone run for minutes", () => {
  const started = performance.now();
  assert.is(checkEvents(kvModel, load("c50-bad")), "illegal");
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 5000, `took ${elapsed.toFixed(0)} ms`);
});

test("kv/c50-bad key 0 alone: a 200 ms timeout gives unknown, promptly", () => {
  const part = kvModel.partition!(eventsToOperations(load("c50-bad"))).find((p) => p[0]!.input.key === "0")!;
  const started = performance.now();
  assert.is(checkOperations(kvModel, part, { timeout: 200 }), "unknown");
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 200 + 800, `took ${elapsed.toFixed(0)} ms`);
});

test.run();
