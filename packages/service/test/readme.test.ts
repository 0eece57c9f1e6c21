import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written and prints what it did", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, "5 7 7\n8 8\n2 MEMBER_ID_REMOVED\n");
});

test.run();
