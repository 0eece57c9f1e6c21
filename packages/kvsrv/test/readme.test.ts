import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written (against the build) and prints what the README says", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, "hello -> hello, world in 7 calls\n1 session\n");
});

test.run();
