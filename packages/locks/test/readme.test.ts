import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written and prints what it did", () => {
  const out = runReadmeExample(new URL("../", import.meta.url));
  assert.is(out, 'true {"granted":false,"holder":"alice"}\ntrue\n');
});

test("the README's chaos example runs the lock workload under the nemesis and passes", () => {
  assert.is(runReadmeExample(new URL("../", import.meta.url), 1), "seed 1: pass\nseed 2: pass\n");
});

test.run();
