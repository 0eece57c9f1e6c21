import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkAppendOrder, checkConcurrentAppends, element } from "./helpers/checks.js";
import { formatPassedLine } from "./helpers/config.js";
import { checkLinearizable, type KvOperation } from "./helpers/linearizability.js";

test("the Passed line has the lab's kvraft format", () => {
  assert.is(
    formatPassedLine({ title: "t", seconds: 15.52, peers: 5, rpcs: 4576, ops: 903 }),
    "  ... Passed --  15.5  5  4576  903",
  );
});

test("checkConcurrentAppends catches missing, duplicated and reordered elements", () => {
  const value = element(0, 0) + element(1, 0) + element(0, 1);
  checkConcurrentAppends(value, [2, 1]);
  assert.throws(() => checkConcurrentAppends(value, [3, 1]), /missing/);
  assert.throws(() => checkConcurrentAppends(value + element(1, 0), [2, 1]), /duplicate/);
  assert.throws(() => checkConcurrentAppends(element(0, 1) + element(0, 0), [2]), /wrong order/);
});

test("checkAppendOrder accepts any order among overlapping Appends and rejects one against real time", () => {
  const a = { value: "a", call: 0, return: 10 };
  const b = { value: "b", call: 5, return: 15 };
  const c = { value: "c", call: 20, return: 30 };
  checkAppendOrder([a, b, c], "abc");
  checkAppendOrder([a, b, c], "bac");
  assert.throws(() => checkAppendOrder([a, b, c], "acb"), /placed after/);
  assert.throws(() => checkAppendOrder([a, b, c], "abcc"), /not exactly/);
  assert.throws(() => checkAppendOrder([a, b, c], "ab"), /missing/);
});

test("a stale read fails the porcupine check and names the visualisation", async () => {
  const history: KvOperation[] = [
    { clientId: 0, input: { op: "put", key: "x", value: "1" }, call: 0, output: {}, return: 1 },
    { clientId: 1, input: { op: "get", key: "x" }, call: 2, output: { value: "" }, return: 3 },
  ];
  try {
    await checkLinearizable(history);
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.match((error as Error).message, /not linearizable; visualisation written to .*\.html/);
  }
  assert.is(await checkLinearizable(history.slice(0, 1)), "ok");
});

test.run();
