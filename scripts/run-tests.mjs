#!/usr/bin/env node
// Runs a package's uvu suites exactly as `uvu -r tsx <dir> <pattern>` does, with two bounds so that
// no test run can hang (a failing test must never hang the run):
// - when the suites have finished, the process must exit within GRACE_MS; if something a test left
//   open (a timer, a socket, a child process) still holds it, the run prints what and exits 1;
// - each test file has a deadline (RAFTKIT_TEST_TIMEOUT_S, default 600 s, counted from when the
//   file's first suite starts); past it, the run prints the file and what is open, and exits 1.
//   Per file, not per run: kvraft's whole run took over 600 s at a load average of 40, busy all along.
// Both timers are unref'd: they never keep a run alive that would otherwise end.
//
// `--env NAME=VALUE` (repeatable) sets an environment variable for the suites, announced first:
// how a package runs the same suites a second way (raft's lab suites with RAFTKIT_RAFT_CLASSIC=1)
// from its test script, the same on every shell.
//
//   node ../../scripts/run-tests.mjs [dir] [pattern] [--ignore REGEX] [--env NAME=VALUE]   (inside a package)
import { createRequire } from "node:module";
import { parseArgs } from "node:util";

const GRACE_MS = 10_000;
const DEFAULT_TIMEOUT_S = 600;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ignore: { type: "string", short: "i", multiple: true },
    env: { type: "string", multiple: true },
  },
});
for (const setting of values.env ?? []) {
  const at = setting.indexOf("=");
  if (at < 1) {
    console.error(`run-tests: --env needs NAME=VALUE, got "${setting}"`);
    process.exit(2);
  }
  process.env[setting.slice(0, at)] = setting.slice(at + 1);
  console.log(`run-tests: with ${setting}`);
}
const timeoutS = Number(process.env.RAFTKIT_TEST_TIMEOUT_S ?? DEFAULT_TIMEOUT_S);
if (!(timeoutS > 0)) {
  const got = process.env.RAFTKIT_TEST_TIMEOUT_S;
  console.error(`run-tests: RAFTKIT_TEST_TIMEOUT_S must be a positive number of seconds, got ${got}`);
  process.exit(2);
}
process.env.FORCE_COLOR ??= "1"; // as uvu's own command does, before kleur loads

const require = createRequire(import.meta.url);
const { parse } = require("uvu/parse");
const [dir, pattern] = positionals;
const { suites } = await parse(dir, pattern, { require: ["tsx"], ignore: values.ignore });

let running = "(loading the suites)";
const started = Date.now();
const atStart = process.getActiveResourcesInfo(); // stdio and the like: not the tests' doing
/** What the tests left open: resource kinds from Node, e.g. `Timeout`, `TCPSocketWrap`. */
const openHandles = () => {
  const kinds = process.getActiveResourcesInfo();
  for (const kind of atStart) {
    const at = kinds.indexOf(kind);
    if (at >= 0) kinds.splice(at, 1);
  }
  return kinds.length > 0 ? kinds.join(", ") : "nothing Node reports";
};
const stop = (message) => {
  process.stderr.write(`\nrun-tests: ${message}\nrun-tests: still open: ${openHandles()}\n`);
  process.exit(1);
};
let deadline;
/** (Re)starts the deadline for what runs now; the first one also covers loading the files. */
const startDeadline = () => {
  clearTimeout(deadline);
  deadline = setTimeout(() => {
    stop(`${running} passed its deadline of ${timeoutS} s; a test is stuck`);
  }, timeoutS * 1000).unref();
};
startDeadline();

// What uvu/run does, with each file's suites wrapped so that the deadline can name the file.
globalThis.UVU_DEFER = 1;
const uvu = require("uvu");
suites.forEach((suite, index) => {
  globalThis.UVU_QUEUE.push([suite.name]);
  globalThis.UVU_INDEX = index;
  require(suite.file);
  const group = globalThis.UVU_QUEUE[index];
  for (let i = 1; i < group.length; i++) {
    const run = group[i];
    group[i] = () => {
      if (running !== suite.name) {
        running = suite.name;
        startDeadline();
      }
      return run();
    };
  }
});
await uvu.exec(false);
clearTimeout(deadline);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

setTimeout(() => {
  stop(
    `every suite finished (in ${seconds} s), but ${GRACE_MS / 1000} s later something a test left open ` +
      "still holds the process; close it in the test (in a finally block or an after hook)",
  );
}, GRACE_MS).unref();
