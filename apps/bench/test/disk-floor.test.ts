import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

// disk-floor.mjs with a few rounds on the temporary directory's disk: that it measures both rows
// and orders their percentiles — never how fast the disk is.

const script = new URL("../scripts/disk-floor.mjs", import.meta.url).pathname;
const run = (args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 60_000 });

interface Row {
  name: string;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

test("disk-floor: times a lone writer and the second of three at once, appending and into allocated space, percentiles in order", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-disk-floor-test-"));
  try {
    const json = join(dir, "floor.json");
    const floor = run(["--rounds", "20", "--record-bytes", "64", "--dir", dir, "--json", json]);
    assert.is(floor.status, 0, floor.stderr);
    assert.match(floor.stdout, /64 B written \+ fdatasync in .+, 20 rounds each/);
    const { rounds, rows } = JSON.parse(readFileSync(json, "utf8")) as { rounds: number; rows: Row[] };
    assert.is(rounds, 20);
    assert.equal(
      rows.map((r) => r.name),
      [
        "one writer alone, appended",
        "2nd of 3 at once, appended",
        "one writer alone, into allocated space",
        "2nd of 3 at once, into allocated space",
      ],
    );
    for (const r of rows) {
      assert.ok(
        r.p50 > 0 && r.p50 <= r.p90 && r.p90 <= r.p99 && r.p99 <= r.p999 && r.p999 <= r.max,
        JSON.stringify(r),
      );
    }
    // The writers' files are gone with them.
    assert.equal(readdirSync(dir), ["floor.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("disk-floor: a bad flag or value is a readable error with exit code 2", () => {
  for (const args of [["--rounds", "0"], ["--record-bytes", "x"], ["--bogus"]]) {
    const bad = run(args);
    assert.is(bad.status, 2, args.join(" "));
    assert.match(bad.stderr, /^disk-floor: .+\nusage: disk-floor\.mjs/);
  }
});

test.run();
