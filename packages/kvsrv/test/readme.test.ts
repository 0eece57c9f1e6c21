import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written (against the build) and prints what the README says", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, "hello -> hello, world in 5 calls\n{ clients: 1, cachedReplies: 0 }\n");
});

test.run();
