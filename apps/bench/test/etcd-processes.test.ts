// The etcd yardstick with real etcd processes on loopback: the scenarios run and report sane
// figures beside kvraft's, and neither a normal end nor Ctrl-C leaves a process or a directory.
// Skipped (with a warning) without an etcd binary, unless CI is set: then a missing one fails.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findEtcd } from "../src/etcd/binary.js";
import type { Comparison } from "../src/report/comparison.js";
import type { ScenarioResult } from "../src/stats.js";

const main = new URL("../src/main.ts", import.meta.url).pathname;
const args = (rest: string[]) => ["--import", "tsx", main, ...rest];
const enabled = Boolean(findEtcd()) || Boolean(process.env.CI);
if (!enabled) console.warn("etcd-processes.test.ts: SKIPPED: no etcd on PATH and CI is not set");

/** What the bench left in `dir` (tsx keeps its own cache there, which is not the bench's). */
const leftIn = (dir: string) => readdirSync(dir).filter((name) => !name.startsWith("tsx-"));

/** The etcd processes whose data directory is under `dir` (from /proc: pgrep cannot match a path prefix). */
function etcdProcessesUnder(dir: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`${dir}/`);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

if (enabled) {
  test("--vs-etcd runs etcd beside kvraft (lease reads) with the ratio; etcd's failover reports a stall; nothing is left behind", () => {
    const tmp = mkdtempSync(join(tmpdir(), "raftkit-bench-etcd-test-"));
    try {
      const json = join(tmp, "out.json");
      // Lease reads over TCP in real processes too: raftkit-kv serve --reads lease.
      const scenarios = ["--scenario", "kvraft-tcp-3,etcd-failover-tcp-3", "--vs-etcd", "--reads", "lease"];
      const run = spawnSync(
        process.execPath,
        args([...scenarios, "--clients", "1", "--runs", "1", "--json", json]),
        {
          encoding: "utf8",
          env: { ...process.env, FORCE_COLOR: "0", TMPDIR: tmp },
          timeout: 120_000,
        },
      );
      assert.is(run.status, 0, run.stderr);
      const report = JSON.parse(readFileSync(json, "utf8")) as {
        results: ScenarioResult[];
        comparisons: Comparison[];
      };
      assert.equal(
        report.results.map((r) => `${r.scenario}/${r.clients}`),
        ["kvraft-tcp-3/1", "etcd-tcp-3/1", "etcd-failover-tcp-3/8"],
      );
      for (const r of report.results) {
        assert.ok(r.ops > 0 && r.rpcsPerOp >= 1, `${r.scenario}: ${r.ops} ops, ${r.rpcsPerOp} requests/op`);
        assert.ok(r.bytesPerOp > 0, `${r.scenario}: no bytes counted`);
      }
      assert.ok((report.results[2]!.stallMs ?? 0) > 0, "the failover reports a stall");
      assert.match(run.stdout, /kvraft-tcp-3 vs etcd-tcp-3, 1 client: \d+\.\d\d× the ops\/s; p50 /);
      assert.is(report.comparisons.length, 1);
      assert.ok(report.comparisons[0]!.opsRatio > 0);
      assert.equal(leftIn(tmp), ["out.json"], "every data directory was removed");
      assert.equal(etcdProcessesUnder(tmp), []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test("Ctrl-C in the middle of an etcd run stops its members and removes their data", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "raftkit-bench-etcd-test-"));
    let bench: ChildProcess | undefined;
    try {
      bench = spawn(
        process.execPath,
        args(["--scenario", "etcd-tcp-3", "--clients", "1", "--duration", "30"]),
        {
          env: { ...process.env, FORCE_COLOR: "0", TMPDIR: tmp },
          stdio: "ignore",
        },
      );
      const exited = new Promise<number | null>((resolve) => bench!.once("exit", (code) => resolve(code)));
      const deadline = performance.now() + 60_000;
      while (etcdProcessesUnder(tmp).length < 3) {
        assert.ok(performance.now() < deadline, "three etcd members started within 60 s");
        await sleep(100);
      }
      bench.kill("SIGINT");
      const giveUp = new AbortController();
      const code = await Promise.race([
        exited,
        sleep(30_000, "no exit within 30 s", { signal: giveUp.signal }).catch(() => "aborted"),
      ]);
      giveUp.abort();
      assert.is(code, 130, "the bench exits as interrupted");
      await sleep(200); // SIGKILL is delivered at once, but the kernel may take a moment to reap
      assert.equal(etcdProcessesUnder(tmp), []);
      assert.equal(leftIn(tmp), [], "the etcd data directory was removed");
    } finally {
      if (bench?.exitCode === null) bench.kill("SIGKILL");
      for (const pid of etcdProcessesUnder(tmp)) process.kill(pid, "SIGKILL");
      if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test.run();
