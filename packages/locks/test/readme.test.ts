import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written and prints what it did", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, 'true {"granted":false,"holder":"alice"}\ntrue\n');
});

test.run();
