import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written and prints what it did", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.match(out, /^\d+ ms: 1 \| \d+ RPCs\n$/, `unexpected output: ${JSON.stringify(out)}`);
});

test.run();
