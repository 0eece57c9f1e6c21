import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runReadmeExample } from "../../../scripts/readme-example.mjs";

test("the README example runs as written (against the build) and prints what the README says", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const expected = /prints\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(expected, "the README shows what the example prints");
  assert.is(runReadmeExample(new URL("../", import.meta.url)), expected);
});

test.run();
