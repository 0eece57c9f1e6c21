import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseOptions, UsageError } from "../src/options.js";
import { replayCommand, runSeed } from "../src/run-seed.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "raftkit-chaos-runner-"));
/**
 * Seeds CI runs over raft, kvraft, kvraft-read-index, kvraft-snapshots, locks and the three
 * membership configurations (about 40 s on 2 busy cores).
 */
const CI_SEEDS = Number(process.env.RAFTKIT_CHAOS_SEEDS ?? 120);

test(`CI: ${CI_SEEDS} seeds of every configuration pass in worker processes, with a summary table`, () => {
  const run = spawnSync(process.execPath, [main, "--seeds", String(CI_SEEDS), "--jobs", "2", "--out", out], {
    encoding: "utf8",
    timeout: 300_000,
  });
  assert.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
  for (const config of [
    "raft",
    "kvraft",
    "kvraft-read-index",
    "kvraft-snapshots",
    "locks",
    "raft-membership",
    "kvraft-membership",
    "locks-membership",
  ]) {
    assert.match(run.stdout, new RegExp(`^${config} +[35] `, "m"));
  }
  assert.match(run.stdout, new RegExp(`${CI_SEEDS} seeds in \\d+ s: \\d+ seeds/minute`));
  console.log(run.stdout);
});

test("negative control: Gets served from a stale cache are caught on every seed tried", async () => {
  for (const seed of [1, 2, 3]) {
    const result = await runSeed("broken-stale-read", seed, out);
    assert.is(result.verdict, "fail", `seed ${seed}`);
    assert.ok(result.expected);
    assert.ok(
      result.violations.some((v) => v.startsWith("linearizability")),
      result.violations.join("\n"),
    );
    assert.ok(
      result.files.some((f) => f.endsWith("history.html")) &&
        result.files.some((f) => f.endsWith("timeline.txt")),
    );
  }
});

test("negative control: writes acknowledged before commit are caught", async () => {
  const caught: number[] = [];
  for (let seed = 1; seed <= 12 && caught.length === 0; seed++) {
    const result = await runSeed("broken-early-ack", seed, out);
    if (result.verdict === "fail") caught.push(seed);
  }
  assert.ok(caught.length > 0, "an early acknowledgement must be caught within 12 seeds");
});

test("negative control: lock snapshots that forget holders are caught (the lock model sees a double grant or a wrong read)", async () => {
  const caught: number[] = [];
  for (let seed = 1; seed <= 12 && caught.length === 0; seed++) {
    const result = await runSeed("broken-forgetful-locks", seed, out);
    if (result.verdict === "fail") {
      caught.push(seed);
      assert.ok(
        result.violations.some((v) => v.startsWith("linearizability")),
        result.violations.join("\n"),
      );
    }
  }
  assert.ok(caught.length > 0, "forgetful lock snapshots must be caught within 12 seeds");
});

test("negative control: a leader that takes two membership changes at once is caught by state machine safety", async () => {
  const caught: number[] = [];
  for (let seed = 1; seed <= 30 && caught.length === 0; seed++) {
    const result = await runSeed("broken-concurrent-changes", seed, out);
    if (result.verdict === "fail") {
      caught.push(seed);
      assert.ok(
        result.violations.some((v) => v.startsWith("state-machine-safety")),
        result.violations.join("\n"),
      );
    }
  }
  assert.ok(caught.length > 0, "two membership changes in flight must be caught within 30 seeds");
});

test("a failing seed names its one-line replay, and replaying it gives the same verdict and history", async () => {
  assert.is(replayCommand("kvraft", 42), "npm run chaos -- --config kvraft --seed 42");
  const a = await runSeed("broken-early-ack", 3, out, true);
  const b = await runSeed("broken-early-ack", 3, out, true);
  assert.is(a.timeline, b.timeline);
  assert.equal(a.violations, b.violations);
  assert.is(a.operations, b.operations);
});

test("a worker that dies mid-seed is that seed's failure, and a new worker goes on", () => {
  const run = spawnSync(
    process.execPath,
    [main, "--config", "broken-worker-crash,raft", "--seeds", "4", "--jobs", "1", "--out", out],
    {
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stdout, /CRASH broken-worker-crash seed=2 .*\n.*worker died .*uncaught in member/);
  assert.match(run.stdout, /^raft +[35] +2 +2 /m);
  assert.match(run.stdout, /4 seeds in/);
});

test("options: unknown configurations and bad numbers are usage errors naming the fix", () => {
  assert.throws(
    () => parseOptions(["--config", "nope"]),
    (e: unknown) => e instanceof UsageError && /choose from raft/.test(e.message),
  );
  assert.throws(() => parseOptions(["--seeds", "0"]), /--seeds needs a whole number of at least 1/);
  assert.equal(parseOptions(["--seed", "7", "--config", "raft"]).seed, 7);
});

test.run();
