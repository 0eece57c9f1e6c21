#!/usr/bin/env node
// Runs raft's seeded suites under many seeds and reports every failing (suite, seed).
//
//   node scripts/soak.mjs [--seeds 100] [--from 1] [--jobs 2] [pattern ...]
//
// Each run is `uvu -r tsx test <suite>` with RAFTKIT_SEED=<seed>; a failure prints the command
// that replays it. Exit code 1 if any run failed.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  args.splice(at, 2);
  return value;
};
const seeds = option("--seeds", 100);
const from = option("--from", 1);
const jobs = option("--jobs", 2);
const patterns = args;

const suites = readdirSync(join(root, "test"))
  .filter((f) => f.endsWith(".test.ts"))
  .filter((f) => patterns.length === 0 || patterns.some((p) => f.includes(p)));

const runs = [];
for (const suite of suites) for (let seed = from; seed < from + seeds; seed++) runs.push({ suite, seed });

// uvu's bin, found like Node finds packages: in the nearest node_modules up the tree.
function findUvu() {
  for (let dir = root; ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules", "uvu", "bin.js");
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) throw new Error("uvu is not installed (run pnpm install)");
  }
}
const uvu = findUvu();
const failures = [];
let done = 0;
const started = Date.now();

function runOne({ suite, seed }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [uvu, "-r", "tsx", "test", suite.replace(/\.test\.ts$/, "")], {
      cwd: root,
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
      done++;
      if (code !== 0) {
        failures.push({ suite, seed, output });
        console.log(`FAIL ${suite} seed=${seed} (replay: RAFTKIT_SEED=${seed} npx uvu -r tsx test ${suite})`);
        console.log(output.split("\n").slice(-40).join("\n"));
      }
      if (done % 25 === 0 || done === runs.length) {
        console.log(
          `${done}/${runs.length} runs, ${failures.length} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      resolve();
    });
  });
}

let next = 0;
async function worker() {
  while (next < runs.length) await runOne(runs[next++]);
}
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));

console.log(
  `soak: ${suites.length} suites x ${seeds} seeds (${from}..${from + seeds - 1}): ` +
    `${runs.length - failures.length} passed, ${failures.length} failed`,
);
for (const f of failures) console.log(`  failed: ${f.suite} seed=${f.seed}`);
process.exit(failures.length > 0 ? 1 : 0);
