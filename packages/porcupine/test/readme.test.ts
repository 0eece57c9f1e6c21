import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written (against the build) and prints what the README says", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(
    out,
    [
      "kv: illegal",
      `illegal keys: [ "key 'x'" ]`,
      "visualisation written: true",
      "queue: ok",
      "queue, 2 dequeued twice: illegal",
      "",
    ].join("\n"),
  );
});

test.run();
