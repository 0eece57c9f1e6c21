import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

// put-timeline.mjs with a handful of puts, against real raftkit-kv processes on loopback: that it
// cuts puts into the steps of their critical path and that the steps add up to the latency —
// never how long any step takes.

const script = new URL("../scripts/put-timeline.mjs", import.meta.url).pathname;

interface Timeline {
  puts: number;
  sync: boolean;
  attributed: number;
  unattributed: number;
  attributedMean: number;
  latency: { p50: number; max: number };
  steps: { name: string; p50: number; mean: number; slowestMean: number }[];
  fdatasync: { leader: { p50: number }; follower: { p50: number } };
  slow: { overMs: number; puts: number; duringGc: number; largestStep: Record<string, number> };
}

test("put-timeline: cuts each put into the steps of its critical path, which add up to its latency", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-put-timeline-test-"));
  try {
    const json = join(dir, "timeline.json");
    const run = spawnSync(process.execPath, [script, "--puts", "40", "--warmup", "20", "--json", json], {
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, /40 puts of 100 bytes, one at a time: p50/);
    const t = JSON.parse(readFileSync(json, "utf8")) as Timeline;
    assert.is(t.puts, 40);
    assert.ok(t.sync);
    assert.is(t.attributed + t.unattributed, 40);
    // A put is left out only after a retry or a missed event: rare, never most of them.
    assert.ok(t.attributed >= 20, `only ${t.attributed} of 40 puts were cut into steps`);
    assert.equal(
      t.steps.map((s) => s.name),
      [
        "client: encode, send",
        "client → leader",
        "leader: request → AppendEntries sent",
        "AppendEntries → follower reads it",
        "follower: write, fdatasync, answer",
        "answer → leader reads it",
        "waiting for a second durable copy",
        "leader: commit, apply → answer sent",
        "leader → client",
        "client: answer → put resolves",
      ],
    );
    for (const s of t.steps) assert.ok(s.p50 >= 0 && s.mean >= 0 && s.slowestMean >= 0, JSON.stringify(s));
    const sum = t.steps.reduce((total, s) => total + s.mean, 0);
    assert.ok(
      Math.abs(sum - t.attributedMean) < 1e-6,
      `steps add up to ${sum}, puts took ${t.attributedMean}`,
    );
    // Members sync: both fdatasyncs were seen on the critical path.
    assert.ok(t.fdatasync.leader.p50 > 0 && t.fdatasync.follower.p50 > 0, JSON.stringify(t.fdatasync));
    const largest = Object.values(t.slow.largestStep).reduce((a, b) => a + b, 0);
    assert.is(largest, t.slow.puts);
    assert.ok(t.slow.duringGc <= t.slow.puts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("put-timeline: a bad flag or value is a readable error with exit code 2", () => {
  for (const args of [["--puts", "0"], ["--slow-ms", "x"], ["--bogus"]]) {
    const bad = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 30_000 });
    assert.is(bad.status, 2, args.join(" "));
    assert.match(bad.stderr, /^put-timeline: .+\nusage: put-timeline\.mjs/);
  }
});

test.run();
