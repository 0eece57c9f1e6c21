import { spawn, spawnSync } from "node:child_process";
import { stripVTControlCharacters } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";

const scripts = new URL("../", import.meta.url).pathname;
const uvuBin = new URL("../../node_modules/uvu/bin.js", import.meta.url).pathname;
const fixtureArgs = (fixture: string) => ["test/fixtures", `^${fixture.replace(".", "\\.")}$`];
const envWith = (extra: Record<string, string>) => ({ ...process.env, FORCE_COLOR: "0", ...extra });

/** Runs one fixture file through the runner, bounded: a run that hangs is killed after a minute. */
function runFixture(fixture: string, env: Record<string, string> = {}, extraArgs: string[] = []) {
  const run = spawnSync(process.execPath, ["run-tests.mjs", ...fixtureArgs(fixture), ...extraArgs], {
    cwd: scripts,
    encoding: "utf8",
    timeout: 60_000,
    env: envWith(env),
  });
  return { ...run, output: stripVTControlCharacters(run.stdout + run.stderr) };
}

test("negative control: plain uvu prints its totals after a failing test, then never exits", async () => {
  const child = spawn(process.execPath, [uvuBin, "-r", "tsx", ...fixtureArgs("leaves-a-timer.ts")], {
    cwd: scripts,
    env: envWith({}),
  });
  let output = "";
  let exited = false;
  child.stdout.on("data", (chunk) => {
    output = stripVTControlCharacters(output + chunk); // uvu's own command always colours
  });
  child.on("exit", () => {
    exited = true;
  });
  try {
    // Bounded waits: the totals within a minute (slow on a loaded machine), then 3 s of not exiting.
    for (let waited = 0; !/Duration:/.test(output) && !exited && waited < 60_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(output, /the failure this fixture is about/);
    assert.match(output, /Total:\s+1\s+Passed:\s+0/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.not.ok(exited, "uvu exited by itself: the fixture does not show the hang");
  } finally {
    child.kill("SIGKILL");
  }
});

test("the runner reports the failure, names the open timer and exits 1 instead of hanging", () => {
  const run = runFixture("leaves-a-timer.ts");
  assert.is(run.signal, null, `killed: ${run.output}`);
  assert.is(run.status, 1, run.output);
  assert.match(run.output, /the failure this fixture is about/);
  assert.match(run.output, /Total:\s+1\s+Passed:\s+0/);
  assert.match(run.output, /every suite finished .* still holds the process/);
  assert.match(run.output, /still open: Timeout/);
});

test("a test stuck past the deadline ends the run with exit 1, naming its file", () => {
  // 10 s: loading tsx and the file must fit before the deadline even on a loaded machine.
  const run = runFixture("never-settles.ts", { RAFTKIT_TEST_TIMEOUT_S: "10" });
  assert.is(run.signal, null, `killed: ${run.output}`);
  assert.is(run.status, 1, run.output);
  assert.match(run.output, /never-settles\.ts passed its deadline of 10 s; a test is stuck/);
  assert.match(run.output, /still open: Timeout/);
});

test("a passing suite that closes what it opens exits 0 at once, with uvu's totals", () => {
  const run = runFixture("passes.ts");
  assert.is(run.status, 0, run.output);
  assert.match(run.output, /Total:\s+1\s+Passed:\s+1/);
  assert.not.match(run.output, /run-tests:/);
});

test("a bad deadline is refused with a message saying what is allowed", () => {
  const run = runFixture("passes.ts", { RAFTKIT_TEST_TIMEOUT_S: "soon" });
  assert.is(run.status, 2, run.output);
  assert.match(run.output, /RAFTKIT_TEST_TIMEOUT_S must be a positive number of seconds, got soon/);
});

test("--env NAME=VALUE sets a variable for the suites and says so; without it the fixture fails", () => {
  const run = runFixture("sees-env.ts", {}, ["--env", "RAFTKIT_FIXTURE_MODE=classic"]);
  assert.is(run.status, 0, run.output);
  assert.match(run.output, /^run-tests: with RAFTKIT_FIXTURE_MODE=classic\n/);
  assert.match(run.output, /Total:\s+1\s+Passed:\s+1/);
  const without = runFixture("sees-env.ts");
  assert.is(without.status, 1, without.output);
  const bad = runFixture("sees-env.ts", {}, ["--env", "=classic"]);
  assert.is(bad.status, 2, bad.output);
  assert.match(bad.output, /--env needs NAME=VALUE, got "=classic"/);
});

test.run();
