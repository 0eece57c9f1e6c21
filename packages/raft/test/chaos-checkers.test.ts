import { test } from "uvu";
import * as assert from "uvu/assert";
import { MemoryPersister } from "../src/index.js";
import { ElectionSafety } from "../src/testkit/chaos/checkers/election-safety.js";
import { StateMachineSafety } from "../src/testkit/chaos/checkers/state-machine-safety.js";
import { RecordingStorage } from "../src/testkit/chaos/recording-storage.js";
import { Roster } from "../src/testkit/chaos/roster.js";

const configEntry = (voters: number[], learners: number[] = []) => ({
  term: 1,
  command: { "raftkit:membership": { voters, learners, autoPromote: [], addresses: [] } },
});

test("roster: members follow the committed configuration; a dropped member is retired, a spare joining is not", () => {
  const roster = new Roster(3, 2);
  assert.equal(roster.current(), [0, 1, 2]);
  assert.is(roster.takeSpare(), 3);
  assert.equal(roster.current(), [0, 1, 2, 3], "a started spare counts while it joins");
  assert.not.ok(roster.isRetired(3));
  roster.observe(5, { term: 1, command: "not a configuration" });
  roster.observe(6, configEntry([0, 1, 2], [3]));
  roster.observe(7, configEntry([0, 2, 3]));
  assert.equal(roster.current(), [0, 2, 3]);
  assert.ok(roster.isRetired(1), "removed by a committed configuration");
  assert.not.ok(roster.isRetired(4), "a spare never started is not retired, only unused");
  roster.observe(6, configEntry([0, 1, 2]));
  assert.equal(roster.committed.voters, [0, 2, 3], "an older index never moves the roster back");
  assert.is(roster.takeSpare(), 4);
  roster.giveUp(4);
  assert.ok(roster.isRetired(4), "a spare given up stays down");
  assert.is(roster.takeSpare(), undefined, "no spare left");
});

test("election safety: a second leader in a term is a violation, the same leader again is not", () => {
  const checker = new ElectionSafety();
  assert.is(checker.observe(0, 3, 10), undefined);
  assert.is(checker.observe(0, 3, 20), undefined);
  assert.is(checker.observe(1, 4, 30), undefined);
  assert.match(checker.observe(2, 3, 40)?.message ?? "", "two leaders in term 3: member 0 and member 2");
});

test("state machine safety: a different entry committed at a known index is a violation", () => {
  const checker = new StateMachineSafety();
  const a = [
    { term: 1, command: "x" },
    { term: 1, command: "y" },
  ];
  const b = [
    { term: 1, command: "x" },
    { term: 2, command: "z" },
  ];
  assert.is(
    checker.observe(0, 2, (i) => a[i - 1], 0),
    undefined,
  );
  assert.is(
    checker.observe(1, 1, (i) => b[i - 1], 0),
    undefined,
    "index 1 agrees",
  );
  assert.match(checker.observe(1, 2, (i) => b[i - 1], 0)?.message ?? "", "disagree on committed index 2");
});

// Found by the chaos runner (kvraft-snapshots seed 75): a deposed leader's uncommitted entry
// stayed in the recording after a snapshot replaced its log, and was then read as committed.
test("recording storage: a snapshot the log does not match forgets the entries written before", () => {
  const storage = new RecordingStorage<string>(new MemoryPersister<string>());
  storage.load();
  storage.appendEntries(1, [
    { term: 1, command: "a" },
    { term: 1, command: "stale" },
  ]);
  storage.saveSnapshot({ index: 3, term: 2 }, new Uint8Array([1]));
  assert.is(storage.entry(2), undefined);
  storage.appendEntries(4, [{ term: 2, command: "b" }]);
  assert.equal(storage.entry(4), { term: 2, command: "b" });
});

test("recording storage: a snapshot the log matches keeps the entries (they are the committed ones)", () => {
  const storage = new RecordingStorage<string>(new MemoryPersister<string>());
  storage.load();
  storage.appendEntries(1, [
    { term: 1, command: "a" },
    { term: 1, command: "b" },
    { term: 1, command: "c" },
  ]);
  storage.saveSnapshot({ index: 2, term: 1 }, new Uint8Array([1]));
  assert.equal(storage.entry(1), { term: 1, command: "a" });
  assert.equal(storage.entry(3), { term: 1, command: "c" });
});

test.run();
