import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, "{ method: 'Echo.Say', echoed: { text: 'hello' } } true\n");
});

test.run();
