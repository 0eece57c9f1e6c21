import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkEventsVerbose,
  checkOperations,
  checkOperationsVerbose,
  defineModel,
  eventsToOperations,
  kvModel,
} from "../src/index.js";
import { readDataFile } from "./helpers/data.js";
import { append, get, put } from "./helpers/history.js";
import { parseKvLog } from "./helpers/kv.js";

test("verbose ok: one partition per key, each with a complete linearization that replays legally", () => {
  const history = [put("a", "1", 0, 10), get("a", "1", 1, 2), put("b", "2", 0, 1), get("b", "2", 3, 4)];
  const { result, info } = checkOperationsVerbose(kvModel, history);
  assert.is(result, "ok");
  assert.is(info.result, "ok");
  assert.equal(
    info.partitions.map((p) => [p.label, p.result, p.operations.length]),
    [
      ["key 'a'", "ok", 2],
      ["key 'b'", "ok", 2],
    ],
  );
  for (const partition of info.partitions) {
    assert.is(partition.linearizations.length, 1);
    const order = partition.linearizations[0]!;
    assert.equal(
      [...order].sort(),
      partition.operations.map((_, i) => i),
    );
    assert.equal(
      partition.longest,
      partition.operations.map(() => 0),
    );
    let state = kvModel.init();
    for (const op of order) {
      const operation = partition.operations[op]!;
      const step = kvModel.step(state, operation.input, operation.output);
      assert.ok(step.ok);
      state = step.state;
    }
  }
  // In key a the put must come first because the get sees its value.
  assert.equal(info.partitions[0]!.linearizations[0], [0, 1]);
});

test("verbose results use the caller's operation indices even when the history is not in call order", () => {
  const history = [
    get("x", "2", 20, 21),
    put("x", "2", 10, 11),
    get("x", "", 0, 1),
    append("x", "!", 30, 31),
  ];
  const { result, info } = checkOperationsVerbose(kvModel, [...history, get("x", "bad", 40, 41)]);
  assert.is(result, "illegal");
  const [partition] = info.partitions;
  assert.equal(partition!.linearizations, [[2, 1, 0, 3]]);
  assert.equal(partition!.longest, [0, 0, 0, 0, -1]);
  assert.is(partition!.operations[4]!.output.value, "bad");
});

test("verbose illegal: partial linearizations stop before the operation that cannot be placed", () => {
  const history = [append("k", "a", 0, 1), append("k", "b", 2, 3), get("k", "ba", 4, 5)];
  const { result, info } = checkOperationsVerbose(kvModel, history);
  assert.is(result, "illegal");
  const [partition] = info.partitions;
  assert.is(partition!.result, "illegal");
  assert.equal(partition!.linearizations, [[0, 1]]);
  assert.equal(partition!.longest, [0, 0, -1]);
});

test("verbose mode still decides the other partitions after an illegal one (c10-bad keys)", () => {
  const { result, info } = checkEventsVerbose(kvModel, parseKvLog(readDataFile("kv/c10-bad.txt")));
  assert.is(result, "illegal");
  const illegal = info.partitions.filter((p) => p.result === "illegal").map((p) => p.label);
  const ok = info.partitions.filter((p) => p.result === "ok").map((p) => p.label);
  assert.equal(ok, ["key '4'", "key '8'"]);
  assert.is(illegal.length, 8);
  for (const partition of info.partitions) assert.ok(partition.linearizations.length > 0, partition.label);
});

test("verbose mode on c50-bad returns within the grace period although keys 0 and 9 never finish", () => {
  const started = performance.now();
  const { result, info } = checkEventsVerbose(kvModel, parseKvLog(readDataFile("kv/c50-bad.txt")));
  const elapsed = performance.now() - started;
  assert.is(result, "illegal");
  assert.ok(elapsed < 1000 + 4000, `took ${elapsed.toFixed(0)} ms`);
  assert.ok(info.partitions.some((p) => p.result === "unknown"));
});

test("a timeout gives unknown, never illegal, and the verbose info is still usable", () => {
  const operations = eventsToOperations(parseKvLog(readDataFile("kv/c50-bad.txt")));
  const hard = kvModel.partition!(operations).filter((p) => ["0", "9"].includes(p[0]!.input.key));
  const both = hard.flat();
  const started = performance.now();
  assert.is(checkOperations(kvModel, both, { timeout: 150 }), "unknown");
  const { result, info } = checkOperationsVerbose(kvModel, both, { timeout: 150 });
  const elapsed = performance.now() - started;
  assert.is(result, "unknown");
  assert.ok(elapsed < 2 * 150 + 800, `took ${elapsed.toFixed(0)} ms`);
  assert.equal(
    info.partitions.map((p) => p.result),
    ["unknown", "unknown"],
  );
  assert.ok(info.partitions.every((p) => p.linearizations.length > 0));
});

test("the timeout stays prompt with a slow model (about 1 ms per step): few steps run past it", () => {
  type Input = { add: number } | { read: true };
  // Counted in model steps, not wall-clock time, so a loaded machine cannot fail it: steps that
  // start over 100 ms after the first one are past the timeout. The scheduler shrinks its slice
  // when steps are slow, so only a handful run late; a fixed 1024-step slice would run hundreds.
  let firstStepAt: number | undefined;
  let late = 0;
  const slowSum = defineModel({
    init: () => 0,
    step(state: number, input: Input, output: number | undefined) {
      const now = performance.now();
      firstStepAt ??= now;
      if (now > firstStepAt + 100) late++;
      const until = now + 1;
      while (performance.now() < until) {
        // burn time, as a model with expensive states would
      }
      return "add" in input ? { ok: true, state: state + input.add } : { ok: output === state, state };
    },
  });
  // 40 concurrent adds of distinct powers of two and a read no subset can explain: 2^40 subsets to try.
  const adds = Array.from({ length: 40 }, (_, i) => ({
    input: { add: 2 ** i },
    output: undefined,
    call: 0,
    return: 1,
  }));
  const history = [...adds, { input: { read: true } as Input, output: -1, call: 0, return: 1 }];
  assert.is(checkOperations(slowSum, history, { timeout: 100 }), "unknown");
  assert.ok(late <= 32, `${late} steps ran past the timeout`);
});

test("a generous timeout does not change a decided answer", () => {
  const history = [put("x", "1", 0, 1), get("x", "1", 2, 3)];
  assert.is(checkOperations(kvModel, history, { timeout: 10_000 }), "ok");
  assert.is(checkOperations(kvModel, [...history, get("x", "2", 4, 5)], { timeout: 10_000 }), "illegal");
});

test.run();
