import { test } from "uvu";
import * as assert from "uvu/assert";
import { ownString } from "../src/index.js";

test("ownString returns an equal string", () => {
  for (const s of ["", "k", "twelve chars", "thirteen char", "é🙂 ünï", "x".repeat(100_000)]) {
    assert.is(ownString(s), s);
  }
  const parent = `${"a".repeat(50)}${"b".repeat(50)}`;
  assert.is(ownString(parent.slice(40, 70)), parent.slice(40, 70));
});

test.run();
