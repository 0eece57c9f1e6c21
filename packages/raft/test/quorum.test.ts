import { test } from "uvu";
import * as assert from "uvu/assert";
import { isMajority, majority, majorityValue, majorityValueOf } from "../src/core/quorum.js";

// Each row: the voters' values (match indexes, acknowledged message numbers, ...) and the value
// a majority of them has reached. As etcd-io/raft's quorum/testdata/majority_commit.txt.
const MAJORITY_VALUE: readonly [values: number[], expected: number][] = [
  [[], 0],
  [[7], 7],
  [[7, 0], 0],
  [[7, 8], 7],
  [[5, 9, 1], 5],
  [[9, 9, 1], 9],
  [[1, 1, 9], 1],
  [[4, 3, 2, 1], 2],
  [[10, 10, 0, 0], 0],
  [[10, 10, 10, 0], 10],
  [[6, 5, 4, 3, 2], 4],
  [[1, 2, 3, 4, 5, 6, 7], 4],
  [[Number.POSITIVE_INFINITY, 3, 2], 3], // a leader counts itself as having everything
];

test("quorum: the value a majority reached is the majority-th largest", () => {
  for (const [values, expected] of MAJORITY_VALUE) {
    assert.is(majorityValue(values), expected, `majorityValue(${JSON.stringify(values)})`);
  }
});

test("quorum: majorityValue does not reorder its input", () => {
  const values = [1, 3, 2];
  majorityValue(values);
  assert.equal(values, [1, 3, 2]);
});

test("quorum: majorityValueOf reads each voter's value and agrees with majorityValue", () => {
  const matches = new Map([
    [4, 12],
    [7, 3],
    [9, 30],
    [11, 12],
    [15, 0],
  ]);
  const voters = [4, 7, 9, 11, 15];
  assert.is(
    majorityValueOf(voters, (id) => matches.get(id)!),
    12,
  );
  assert.is(
    majorityValueOf(voters.slice(0, 3), (id) => matches.get(id)!),
    12,
  );
  assert.is(
    majorityValueOf([], (id: number) => id),
    0,
  );
  // Calls in a row, of different lengths, share scratch space: none sees another's values.
  for (const [values, expected] of [...MAJORITY_VALUE].reverse()) {
    assert.is(
      majorityValueOf(values, (v) => v),
      expected,
      JSON.stringify(values),
    );
  }
});

const MAJORITY: readonly [voters: number, majority: number][] = [
  [1, 1],
  [2, 2],
  [3, 2],
  [4, 3],
  [5, 3],
  [6, 4],
  [7, 4],
];

test("quorum: a majority is more than half of the voters", () => {
  for (const [voters, expected] of MAJORITY) {
    assert.is(majority(voters), expected, `majority(${voters})`);
    assert.ok(isMajority(expected, voters));
    assert.not.ok(isMajority(expected - 1, voters));
  }
});

test.run();
