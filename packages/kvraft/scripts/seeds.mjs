#!/usr/bin/env node
// Runs this package's suite once per seed, one process at a time (the lab scenarios are long;
// fewer, longer runs beat thrashing a shared machine), and sums up: failures with their seed,
// porcupine verdicts, and every Passed line to a log folder.
//
//   node scripts/seeds.mjs [--from S] [--seeds N] [--out DIR] [--jobs J]
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    from: { type: "string", default: "1" },
    seeds: { type: "string", default: "10" },
    jobs: { type: "string", default: "1" },
    out: { type: "string", default: join(tmpdir(), "kvraft-seeds") },
  },
});
const from = Number(values.from);
const count = Number(values.seeds);
const jobs = Number(values.jobs);
mkdirSync(values.out, { recursive: true });

function runSeed(seed) {
  return new Promise((done) => {
    const started = Date.now();
    // The seeded suites only: the multi-process and README tests run on the real clock.
    const args = [
      "uvu",
      "-r",
      "tsx",
      "test",
      "\\.test\\.ts$",
      "-i",
      "cluster-processes",
      "-i",
      "cli-args",
      "-i",
      "readme",
    ];
    const child = spawn("npx", args, {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, RAFTKIT_SEED: String(seed), RAFTKIT_CHECK_TIMES: "1", FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => {
      writeFileSync(join(values.out, `seed-${seed}.log`), output);
      const unknown = (output.match(/porcupine: unknown/g) ?? []).length;
      const illegal = /not linearizable/.test(output);
      const passed = (output.match(/\.\.\. Passed --/g) ?? []).length;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const verdict = code === 0 ? "ok" : "FAILED";
      console.log(
        `seed ${seed}: ${verdict} (${seconds} s, ${passed} Passed lines, porcupine unknown ${unknown}${illegal ? ", ILLEGAL" : ""})`,
      );
      done(code === 0);
    });
  });
}

const seeds = Array.from({ length: count }, (_, i) => from + i);
let failures = 0;
async function worker() {
  for (let seed = seeds.shift(); seed !== undefined; seed = seeds.shift()) {
    if (!(await runSeed(seed))) failures++;
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
console.log(`${count} seeds from ${from}: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
