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

test("eviction order is kept through repeated use of the newest session, evictions and a restore", () => {
  const order = (table: SessionTable) => table.records().map(([id]) => id);
  const table = new SessionTable(3);
  for (const id of [1, 2, 3]) table.open(id, id);
  table.execute(3, 1, 4, () => 0); // already the newest: stays last
  table.execute(3, 2, 5, () => 0);
  assert.equal(order(table), [1, 2, 3]);
  table.execute(1, 1, 6, () => 0);
  assert.equal(order(table), [2, 3, 1]);
  table.open(7, 7); // evicts 2
  table.execute(7, 1, 8, () => 0);
  table.execute(3, 3, 9, () => 0);
  assert.equal(order(table), [1, 7, 3]);
  const copy = new SessionTable(3);
  copy.restore(table.records());
  copy.execute(3, 4, 10, () => 0); // the restored newest
  copy.execute(1, 2, 11, () => 0);
  assert.equal(order(copy), [7, 3, 1]);
  copy.open(12, 12); // evicts 7
  assert.equal(order(copy), [3, 1, 12]);
  const one = new SessionTable(1);
  one.open(1, 1);
  one.open(2, 2); // evicts 1, the newest before
  one.execute(2, 1, 3, () => 0);
  assert.equal(order(one), [2]);
  assert.equal(one.check(1, 1), { kind: "expired" });
});

test.run();
