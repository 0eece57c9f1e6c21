import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { CatchUpRun } from "../src/membership/catch-up.js";
import type { Summary } from "../src/membership/run.js";
import { CHANGE_KINDS, type StallRun } from "../src/membership/stall.js";

// raftkit-bench membership with tiny sizes and windows, against real raftkit-kv processes on
// loopback: the tables' structure and counted facts, never a speed.

const main = new URL("../src/main.ts", import.meta.url).pathname;
const bench = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", main, "membership", ...args], {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    timeout: 300_000,
  });

test("membership: a new member catches up from the log or by snapshot, and every kind of change is made under writes", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-bench-membership-"));
  try {
    const json = join(dir, "out.json");
    const run = bench([
      ...["--sizes", "20,1500", "--max-raft-state", "32768"],
      ...["--runs", "1", "--warmup", "0.1", "--window", "0.3"],
      ...["--heartbeat", "50", "--election-timeout", "250-500"],
      ...["--json", json],
    ]);
    assert.is(run.status, 0, run.stderr);
    const { catchUp, changes } = JSON.parse(readFileSync(json, "utf8")) as {
      catchUp: Summary<CatchUpRun>[];
      changes: Summary<StallRun>[];
    };
    assert.equal(
      catchUp.map((r) => r.keys),
      [20, 1500],
    );
    for (const r of catchUp) {
      assert.equal(r.voters, [0, 1, 2, 3]);
      assert.ok(r.learnerMs > 0 && r.voterMs >= r.learnerMs, JSON.stringify(r));
      assert.ok(r.logIndex >= r.keys, `${r.logIndex} entries hold ${r.keys} keys`);
      // Whichever way it caught up, the new member received at least the values it holds.
      assert.ok(r.bytesReceived >= r.keys * r.valueBytes, `${r.bytesReceived} bytes for ${r.keys} keys`);
    }
    // 20 keys (~3 KB of log) stay under the 32 KiB snapshot threshold; 1,500 (~200 KB) do not,
    // so the leader has compacted its log and must send its snapshot.
    assert.equal(
      catchUp.map((r) => r.snapshotChunks > 0),
      [false, true],
    );
    assert.equal(
      changes.map((r) => r.change),
      [...CHANGE_KINDS],
    );
    const after = Object.fromEntries(changes.map((r) => [r.change, r]));
    assert.equal([after.none!.voters, after.none!.learners], [[0, 1, 2], []]);
    assert.equal([after["add-learner"]!.voters, after["add-learner"]!.learners], [[0, 1, 2], [3]]);
    assert.equal(after.promote!.voters, [0, 1, 2, 3]);
    assert.is(after["remove-follower"]!.voters.length, 2);
    assert.is(after["remove-leader"]!.voters.length, 2);
    assert.is(after.replace!.voters.length, 3);
    assert.ok(after.replace!.voters.includes(3));
    for (const r of changes) {
      assert.ok(r.writes > 0 && r.opsPerSecBefore > 0, `${r.change}: writes acknowledged before the change`);
      assert.ok(r.gapMsDuring > 0 && r.changeMs >= 0, JSON.stringify(r));
    }
    assert.match(run.stdout, /^keys\s+value B\s+state MB/m);
    assert.match(run.stdout, /^change\s+change ms\s+ops\/s before/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("membership: --help names every change; a bad value is a readable error with exit code 2", () => {
  const help = bench(["--help"]);
  assert.is(help.status, 0);
  for (const kind of CHANGE_KINDS) assert.match(help.stdout, kind);
  for (const args of [["--changes", "grow"], ["--sizes", "0"], ["--window", "0"], ["--bogus"]]) {
    const run = bench(args);
    assert.is(run.status, 2, `${args.join(" ")} exited ${run.status}`);
    assert.match(run.stderr, /^raftkit-bench membership: .+\nRun with --help/);
  }
});

test.run();
