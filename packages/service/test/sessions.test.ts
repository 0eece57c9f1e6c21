import { test } from "uvu";
import * as assert from "uvu/assert";
import { SessionTable } from "../src/index.js";

test("execute runs a new request once, answers its retry from the cache, refuses older and unopened ones", () => {
  const table = new SessionTable(10);
  let runs = 0;
  const run = () => ++runs;
  assert.equal(table.execute("a", 1, 1, run), { kind: "expired" });
  assert.is(runs, 0);
  table.open("a", 2);
  assert.equal(table.execute("a", 1, 3, run), { kind: "executed", result: 1 });
  assert.equal(table.execute("a", 1, 4, run), { kind: "duplicate", result: 1 });
  assert.equal(table.execute("a", 2, 5, run), { kind: "executed", result: 2 });
  assert.equal(table.execute("a", 1, 6, run), { kind: "superseded" });
  assert.is(runs, 2);
});

test("acknowledge drops the cached result and supersedes late retries, without touching other sessions", () => {
  const table = new SessionTable(10);
  table.open("a", 1);
  table.open("b", 2);
  table.execute("a", 1, 3, () => "big result");
  table.execute("b", 1, 4, () => "b's");
  table.acknowledge("a", 2);
  table.acknowledge("nobody", 9);
  assert.equal(
    table.execute("a", 1, 5, () => "again"),
    { kind: "superseded" },
  );
  assert.equal(
    table.execute("b", 1, 6, () => "again"),
    { kind: "duplicate", result: "b's" },
  );
  assert.equal(
    table.records().map(([id, seq, , result]) => [id, seq, result]),
    [
      ["a", 2, undefined],
      ["b", 1, "b's"],
    ],
  );
  assert.equal(
    table.execute("a", 3, 7, () => "next"),
    { kind: "executed", result: "next" },
  );
});

test("the table is bounded: opening one more session evicts the least recently used", () => {
  const table = new SessionTable(2);
  table.open("a", 1);
  table.open("b", 2);
  table.execute("a", 1, 3, () => 0); // a is now the most recently used
  table.open("c", 4);
  assert.is(table.size, 2);
  assert.equal(table.check("b", 1), { kind: "expired" });
  assert.equal(table.check("a", 2), { kind: "new" });
});

test.run();
