import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkEventsAsync,
  checkEventsVerboseAsync,
  checkOperations,
  checkOperationsAsync,
  checkOperationsVerboseAsync,
  eventsToOperations,
  kvModel,
  ReturnBeforeCallError,
} from "../src/index.js";
import { readDataFile } from "./helpers/data.js";
import { get, put } from "./helpers/history.js";
import { parseKvLog } from "./helpers/kv.js";

const hardKey = () =>
  kvModel.partition!(eventsToOperations(parseKvLog(readDataFile("kv/c50-bad.txt")))).find(
    (part) => part[0]!.input.key === "0",
  )!;

test("the async variants give the same answers as the synchronous ones", async () => {
  const ok = [put("x", "1", 0, 1), get("x", "1", 2, 3)];
  const bad = [...ok, get("x", "2", 4, 5)];
  assert.is(await checkOperationsAsync(kvModel, ok), "ok");
  assert.is(await checkOperationsAsync(kvModel, bad), "illegal");
  const verbose = await checkOperationsVerboseAsync(kvModel, bad);
  assert.is(verbose.result, "illegal");
  assert.equal(verbose.info.partitions[0]!.longest, [0, 0, -1]);
  for (const file of ["c10-ok", "c10-bad"]) {
    const events = parseKvLog(readDataFile(`kv/${file}.txt`));
    const expected = file.endsWith("ok") ? "ok" : "illegal";
    assert.is(await checkEventsAsync(kvModel, events), expected);
    assert.is((await checkEventsVerboseAsync(kvModel, events)).result, expected);
  }
});

test("a long async check keeps the event loop running: a timer's tenth tick stops it", async () => {
  const operations = hardKey();
  // Counted in ticks, not wall-clock time, so a loaded machine cannot fail it: a check that never
  // yielded would let no tick through and end only at the 10 s timeout, with fewer than 10 ticks.
  const controller = new AbortController();
  let ticks = 0;
  // Cleared in `finally`: an interval left running after a failure would keep the run alive forever.
  const timer = setInterval(() => {
    if (++ticks === 10) controller.abort();
  }, 5);
  let result: string;
  try {
    result = await checkOperationsAsync(kvModel, operations, {
      timeout: 10_000,
      yieldEveryMs: 5,
      signal: controller.signal,
    });
  } finally {
    clearInterval(timer);
  }
  assert.is(result, "unknown");
  assert.is(ticks, 10, "the check ended before the tenth tick: it did not yield, or it timed out");
});

test("aborting the signal stops an async check like a timeout", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = performance.now();
  const result = await checkOperationsAsync(kvModel, hardKey(), { signal: controller.signal });
  const elapsed = performance.now() - started;
  assert.is(result, "unknown");
  assert.ok(elapsed < 50 + 800, `took ${elapsed.toFixed(0)} ms`);
  // A signal aborted before the start stops the check at once, as a zero timeout would.
  const aborted = AbortSignal.abort();
  assert.is(await checkOperationsAsync(kvModel, [get("x", "v", 0, 1)], { signal: aborted }), "unknown");
  assert.is(checkOperations(kvModel, [get("x", "v", 0, 1)]), "illegal");
});

test("bad input and bad options reject with the same typed errors", async () => {
  try {
    await checkOperationsAsync(kvModel, [get("x", "", 5, 4)]);
    assert.unreachable("should reject");
  } catch (error) {
    assert.instance(error, ReturnBeforeCallError);
  }
  try {
    await checkOperationsAsync(kvModel, [], { yieldEveryMs: 0 });
    assert.unreachable("should reject");
  } catch (error) {
    assert.instance(error, RangeError);
  }
});

test.run();
