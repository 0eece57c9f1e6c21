// Runs each memory test file in a fresh process with --expose-gc, so that no test's leftovers
// shift another's baseline. Exits non-zero if any fails.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "memory");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".test.ts"))
  .sort();
let failed = 0;
for (const file of files) {
  // Bounded like every test run (scripts/run-tests.mjs): a stuck file is killed and counts as failed.
  const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(dir, file)], {
    stdio: "inherit",
    timeout: 300_000,
  });
  if (run.signal) console.error(`${file}: killed after 300 s (${run.signal}); it never finished`);
  if (run.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`${failed} of ${files.length} memory test files failed`);
  process.exit(1);
}
