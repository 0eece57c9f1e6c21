import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, "{ term: 1, votedFor: 0 } { index: 1, term: 1 } [ { term: 1, command: 'put y 2' } ] 0\n");
});

test.run();
