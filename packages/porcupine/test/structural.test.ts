import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { completeModel, structuralEqual, structuralHash } from "../src/index.js";

test("structuralEqual holds between a value and its deep copy, and their hashes agree", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const copy = structuredClone(value);
      assert.ok(structuralEqual(value, copy));
      assert.is(structuralHash(value), structuralHash(copy));
    }),
    { numRuns: 500 },
  );
});

test("object key order does not matter; array order, types and Map contents do", () => {
  assert.ok(structuralEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }));
  assert.is(structuralHash({ a: 1, b: 2 }), structuralHash({ b: 2, a: 1 }));
  assert.not.ok(structuralEqual([1, 2], [2, 1]));
  assert.not.ok(structuralEqual(1, "1"));
  assert.not.ok(structuralEqual({ a: undefined }, {}));
  assert.ok(structuralEqual(new Map([["k", [1]]]), new Map([["k", [1]]])));
  assert.not.ok(structuralEqual(new Map([["k", 1]]), new Map([["k", 2]])));
  assert.ok(structuralEqual(Number.NaN, Number.NaN));
  assert.ok(structuralEqual(0, -0));
  assert.is(structuralHash(0), structuralHash(-0));
});

test("completeModel fills the defaults", () => {
  const model = completeModel({ init: () => [1], step: (state: number[]) => ({ ok: true, state }) });
  assert.is(model.name, "model");
  assert.ok(model.equal([1], [1]));
  assert.is(model.hash([1]), structuralHash([1]));
  assert.equal(model.partition([]), [[]]);
  assert.is(model.describePartition([], 3), "partition 3");
  assert.is(model.describeState([1]), "[1]");
  assert.is(model.describeOperation("in", "out"), '"in" → "out"');
  // A custom equal without a hash gets a constant hash (correct, only slower).
  const custom = completeModel({
    init: () => 0,
    step: (s: number) => ({ ok: true, state: s }),
    equal: () => true,
  });
  assert.is(custom.hash(1), custom.hash(2));
});

test.run();
