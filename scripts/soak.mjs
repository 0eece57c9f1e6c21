#!/usr/bin/env node
// Runs the seeded test suites over many seeds: every seed replays exactly, so a failure here
// names a seed that reproduces it with RAFTKIT_SEED=<seed>.
//
//   node scripts/soak.mjs [--seeds N] [--from S] [--jobs J] [package ...]
//
// Defaults: 200 seeds starting at 1, 2 jobs, every package with a "soak" or "test" script among
// labrpc, raft, kvsrv, kvraft. A package's "soak" script, when present, is used instead of "test"
// (e.g. to leave out memory tests that measure the whole process).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seeds: { type: "string", default: "200" },
    from: { type: "string", default: "1" },
    jobs: { type: "string", default: "2" },
  },
});
const seeds = Number(values.seeds);
const from = Number(values.from);
const jobs = Number(values.jobs);
for (const [name, n] of [
  ["--seeds", seeds],
  ["--from", from],
  ["--jobs", jobs],
]) {
  if (!Number.isSafeInteger(n) || n < (name === "--from" ? 0 : 1)) {
    console.error(`soak: ${name} needs a whole number, got ${n}`);
    process.exit(2);
  }
}

const candidates = positionals.length > 0 ? positionals : ["labrpc", "raft", "kvsrv", "kvraft"];
const suites = candidates.flatMap((name) => {
  const file = join(root, "packages", name, "package.json");
  if (!existsSync(file)) {
    if (positionals.length > 0) throw new Error(`soak: no package folder packages/${name}`);
    return [];
  }
  const scripts = JSON.parse(readFileSync(file, "utf8")).scripts ?? {};
  const script = scripts.soak ? "soak" : scripts.test ? "test" : undefined;
  return script ? [{ name, dir: join(root, "packages", name), script }] : [];
});

const logDir = join(root, ".soak");
mkdirSync(logDir, { recursive: true });
const work = [];
for (let seed = from; seed < from + seeds; seed++) for (const suite of suites) work.push({ seed, suite });

function runOne({ seed, suite }) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn("npm", ["run", "-s", suite.script], {
      cwd: suite.dir,
      env: { ...process.env, RAFTKIT_SEED: String(seed), FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        console.log(`seed ${seed} ${suite.name}: ok (${seconds} s)`);
      } else {
        const log = join(logDir, `${suite.name}-seed-${seed}.log`);
        writeFileSync(log, output);
        console.log(`seed ${seed} ${suite.name}: FAILED (${seconds} s), log ${log}`);
      }
      done({ seed, suite: suite.name, ok: code === 0 });
    });
  });
}

const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, work.length) }, async () => {
    while (next < work.length) results.push(await runOne(work[next++]));
  }),
);

let failures = 0;
for (const suite of suites) {
  const mine = results.filter((r) => r.suite === suite.name);
  const failed = mine.filter((r) => !r.ok).map((r) => r.seed);
  failures += failed.length;
  console.log(
    `soak ${suite.name}: ${mine.length - failed.length} of ${mine.length} seeds passed` +
      (failed.length > 0 ? `; failing seeds: ${failed.sort((a, b) => a - b).join(", ")}` : ""),
  );
}
process.exit(failures > 0 ? 1 : 0);
