import { test } from "uvu";
import * as assert from "uvu/assert";
import { SessionTable } from "../src/index.js";

test("execute runs a new request once, answers its retry from the cache, refuses older and unopened ones", () => {
  const table = new SessionTable(10);
  let runs = 0;
  const run = () => ++runs;
  assert.equal(table.execute(2, 1, 1, run), { kind: "expired" });
  assert.is(runs, 0);
  table.open(2, 2);
  assert.equal(table.execute(2, 1, 3, run), { kind: "executed", result: 1 });
  assert.equal(table.execute(2, 1, 4, run), { kind: "duplicate", result: 1 });
  assert.equal(table.execute(2, 2, 5, run), { kind: "executed", result: 2 });
  assert.equal(table.execute(2, 1, 6, run), { kind: "superseded" });
  assert.is(runs, 2);
});

test("acknowledge drops the cached result and supersedes late retries, without touching other sessions", () => {
  const table = new SessionTable(10);
  table.open(1, 1);
  table.open(2, 2);
  table.execute(1, 1, 3, () => "big result");
  table.execute(2, 1, 4, () => "b's");
  table.acknowledge(1, 2);
  table.acknowledge(9, 9);
  assert.equal(
    table.execute(1, 1, 5, () => "again"),
    { kind: "superseded" },
  );
  assert.equal(
    table.execute(2, 1, 6, () => "again"),
    { kind: "duplicate", result: "b's" },
  );
  assert.equal(
    table.records().map(([id, seq, , result]) => [id, seq, result]),
    [
      [1, 2, undefined],
      [2, 1, "b's"],
    ],
  );
  assert.equal(
    table.execute(1, 3, 7, () => "next"),
    { kind: "executed", result: "next" },
  );
});

test("kvsrv's sessions are named by the clients' own string ids, with the same rules", () => {
  const table = new SessionTable<string>(1);
  table.open("ck-1", 1);
  assert.equal(
    table.execute("ck-1", 1, 2, () => "x"),
    { kind: "executed", result: "x" },
  );
  assert.equal(
    table.execute("ck-1", 1, 3, () => "y"),
    { kind: "duplicate", result: "x" },
  );
  table.open("ck-2", 4);
  assert.equal(table.check("ck-1", 2), { kind: "expired" });
  assert.equal(table.records(), [["ck-2", 0, 4, undefined]]);
});

test("the table is bounded: opening one more session evicts the least recently used", () => {
  const table = new SessionTable(2);
  table.open(1, 1);
  table.open(2, 2);
  table.execute(1, 1, 3, () => 0); // a is now the most recently used
  table.open(4, 4);
  assert.is(table.size, 2);
  assert.equal(table.check(2, 1), { kind: "expired" });
  assert.equal(table.check(1, 2), { kind: "new" });
});

test.run();
