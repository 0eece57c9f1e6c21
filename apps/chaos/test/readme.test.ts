import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README's chaos test of a user's own state machine runs as written and passes 3 seeds", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, [1, 2, 3].map((seed) => `seed ${seed}: pass, clients did over 100 operations\n`).join(""));
});

test.run();
