import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";

const scripts = new URL("../", import.meta.url).pathname;
const uvuBin = new URL("../../node_modules/uvu/bin.js", import.meta.url).pathname;

/** Runs one fixture file through `command`, bounded: a run that hangs is killed after `limitMs`. */
function runFixture(command: string[], fixture: string, limitMs: number, env: Record<string, string> = {}) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...command, "test/fixtures", `^${fixture.replace(".", "\\.")}$`], {
    cwd: scripts,
    encoding: "utf8",
    timeout: limitMs,
    env: { ...process.env, FORCE_COLOR: "0", ...env },
  });
  return { ...run, output: run.stdout + run.stderr, ms: performance.now() - started };
}

test("negative control: plain uvu never exits after a failing test that leaves an interval running", () => {
  const run = runFixture([uvuBin, "-r", "tsx"], "leaves-a-timer.ts", 5000);
  assert.is(run.signal, "SIGTERM", `uvu exited by itself (status ${run.status}): ${run.output}`);
  assert.match(run.output, /the failure this fixture is about/);
});

test("the runner reports the failure, names the open timer and exits 1 instead of hanging", () => {
  const run = runFixture(["run-tests.mjs"], "leaves-a-timer.ts", 60_000);
  assert.is(run.signal, null, `killed: ${run.output}`);
  assert.is(run.status, 1, run.output);
  assert.match(run.output, /the failure this fixture is about/);
  assert.match(run.output, /Total:\s+1\s+Passed:\s+0/);
  assert.match(run.output, /every suite finished .* still holds the process/);
  assert.match(run.output, /still open: Timeout/);
});

test("a test stuck past the deadline ends the run with exit 1, naming its file", () => {
  const run = runFixture(["run-tests.mjs"], "never-settles.ts", 60_000, { RAFTKIT_TEST_TIMEOUT_S: "2" });
  assert.is(run.signal, null, `killed: ${run.output}`);
  assert.is(run.status, 1, run.output);
  assert.match(run.output, /passed its deadline of 2 s while running never-settles\.ts/);
  assert.match(run.output, /still open: Timeout/);
});

test("a passing suite that closes what it opens exits 0 at once, with uvu's totals", () => {
  const run = runFixture(["run-tests.mjs"], "passes.ts", 60_000);
  assert.is(run.status, 0, run.output);
  assert.match(run.output, /Total:\s+1\s+Passed:\s+1/);
  assert.not.match(run.output, /run-tests:/);
});

test("a bad deadline is refused with a message saying what is allowed", () => {
  const run = runFixture(["run-tests.mjs"], "passes.ts", 60_000, { RAFTKIT_TEST_TIMEOUT_S: "soon" });
  assert.is(run.status, 2, run.output);
  assert.match(run.output, /RAFTKIT_TEST_TIMEOUT_S must be a positive number of seconds, got soon/);
});

test.run();
