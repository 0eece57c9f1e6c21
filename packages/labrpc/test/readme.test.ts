import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";

// The README's first example must run as written (it imports the package by name, which resolves
// to this package's build through its own exports map).
test("the README example runs and prints what it did", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, "README has a ts example");
  // Written inside the package (so the name resolves), unique per process (soak runs run in parallel).
  const file = new URL(`../readme-example-${process.pid}.mts`, import.meta.url);
  writeFileSync(file, example);
  try {
    const out = execFileSync(process.execPath, ["--import", "tsx", file.pathname], {
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    assert.match(out, /^\d+ ms: 1 \| \d+ RPCs\n$/, `unexpected output: ${JSON.stringify(out)}`);
  } finally {
    rmSync(file, { force: true });
  }
});

test.run();
