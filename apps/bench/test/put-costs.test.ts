import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

// put-costs.mjs with a handful of puts, against real raftkit-kv processes on loopback: that it
// runs, names the leader and counts every process — never how much (JIT compilation is still
// going on this early, and the load changes the collections).

const script = new URL("../scripts/put-costs.mjs", import.meta.url).pathname;

interface Costs {
  puts: number;
  clients: number;
  processes: {
    process: string;
    allocatedBytesPerPut: number;
    scavengesPer1k: number;
    markCompactsPer1k: number;
    gcPauseMsPer1k: number;
  }[];
}

test("put-costs: counts the allocations and collections of the leader, both followers and the client", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-put-costs-test-"));
  try {
    const json = join(dir, "costs.json");
    const run = spawnSync(
      process.execPath,
      [script, ...["--puts", "60", "--warmup", "20", "--clients", "2", "--json", json]],
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, /60 puts of 100 bytes, 2 client\(s\)/);
    const costs = JSON.parse(readFileSync(json, "utf8")) as Costs;
    assert.is(costs.puts, 60);
    const roles = costs.processes.map((p) => p.process.replace(/\d+/, "N")).sort();
    assert.equal(roles, ["client", "follower N", "follower N", "leader"]);
    for (const p of costs.processes) {
      // A put allocates something everywhere, and far less than a megabyte.
      assert.ok(p.allocatedBytesPerPut > 100 && p.allocatedBytesPerPut < 1e6, JSON.stringify(p));
      for (const n of [p.scavengesPer1k, p.markCompactsPer1k, p.gcPauseMsPer1k]) {
        assert.ok(Number.isFinite(n) && n >= 0, JSON.stringify(p));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
