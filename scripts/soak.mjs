#!/usr/bin/env node
// Runs the seeded test files over many seeds. Every seed replays exactly, so a failure here names
// a seed that reproduces it: RAFTKIT_SEED=<seed> npx uvu -r tsx test <file>, inside the package.
// Each process runs through scripts/run-tests.mjs, so a stuck seed ends with a message, not a hang.
//
//   node scripts/soak.mjs [--seeds N] [--from S] [--jobs J] [--match REGEX] [package ...]
//
// Defaults: 200 seeds from 1, 2 jobs, packages labrpc raft kvsrv kvraft. A test file is seeded
// when it uses the simulation's seed (simTest, withSeed, seedFromEnv or RAFTKIT_SEED); files on
// the real clock, which no seed changes, are left out. Each (file, seed) runs in its own process.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seeds: { type: "string", default: "200" },
    from: { type: "string", default: "1" },
    jobs: { type: "string", default: "2" },
    match: { type: "string", default: "" },
  },
});
const seeds = Number(values.seeds);
const from = Number(values.from);
const jobs = Number(values.jobs);
for (const [name, n, min] of [
  ["--seeds", seeds, 1],
  ["--from", from, 0],
  ["--jobs", jobs, 1],
]) {
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`soak: ${name} needs a whole number of at least ${min}, got ${n}`);
    process.exit(2);
  }
}
const match = new RegExp(values.match);
const SEEDED = /\b(simTest|withSeed|seedFromEnv|RAFTKIT_SEED)\b/;

const packages = positionals.length > 0 ? positionals : ["labrpc", "raft", "kvsrv", "kvraft"];
const files = packages.flatMap((name) => {
  const dir = join(root, "packages", name);
  if (!existsSync(join(dir, "test"))) throw new Error(`soak: no test folder in packages/${name}`);
  return readdirSync(join(dir, "test"))
    .filter((f) => f.endsWith(".test.ts") && match.test(f))
    .filter((f) => SEEDED.test(readFileSync(join(dir, "test", f), "utf8")))
    .map((file) => ({ name, dir, file }));
});
if (files.length === 0) {
  console.error("soak: no seeded test files matched");
  process.exit(2);
}

const runTests = join(root, "scripts", "run-tests.mjs");
const logDir = join(root, ".soak");
mkdirSync(logDir, { recursive: true });
const work = [];
for (let seed = from; seed < from + seeds; seed++) for (const f of files) work.push({ seed, ...f });

function runOne({ seed, name, dir, file }) {
  return new Promise((done) => {
    const args = [runTests, "test", `^${file.replace(/\./g, "\\.")}$`];
    const child = spawn(process.execPath, args, {
      cwd: dir,
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
      if (code !== 0) {
        const log = join(logDir, `${name}-${file}-seed-${seed}.log`);
        writeFileSync(log, output);
        console.log(`FAILED ${name}/${file} seed ${seed}: replay with RAFTKIT_SEED=${seed}; log ${log}`);
      }
      done({ name, file, seed, ok: code === 0 });
    });
  });
}

const started = Date.now();
const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, work.length) }, async () => {
    while (next < work.length) {
      results.push(await runOne(work[next++]));
      if (results.length % 50 === 0 || results.length === work.length) {
        const failed = results.filter((r) => !r.ok).length;
        console.log(
          `${results.length}/${work.length} runs, ${failed} failed, ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }
    }
  }),
);

let failures = 0;
for (const name of packages) {
  const mine = results.filter((r) => r.name === name);
  if (mine.length === 0) continue;
  const failed = mine.filter((r) => !r.ok);
  failures += failed.length;
  const fileCount = new Set(mine.map((r) => r.file)).size;
  console.log(
    `soak ${name}: ${fileCount} seeded files × ${seeds} seeds (${from}..${from + seeds - 1}): ` +
      `${mine.length - failed.length} passed, ${failed.length} failed` +
      (failed.length > 0 ? ` (${failed.map((r) => `${r.file}@${r.seed}`).join(", ")})` : ""),
  );
}
process.exit(failures > 0 ? 1 : 0);
