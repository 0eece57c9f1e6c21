/**
 * Times the checker over the shared porcupine histories and prints a table beside the Go porcupine's
 * figures on the same 2-core machine (issue 4). Usage: `pnpm bench [-- --runs N]` (default 5).
 * Each row: the first (cold) run, then the median and minimum of N further runs, in wall-clock time, and the
 * median CPU time of this process (user + system), which says more than wall time on a machine shared with
 * other jobs (Node's GC helper threads count too).
 */
import { availableParallelism, loadavg } from "node:os";
import { type CheckResult, checkEvents, kvModel, registerModel } from "../src/index.js";
import { etcdExpected, etcdFiles, KV_FILES, readDataFile } from "../test/helpers/data.js";
import { parseEtcdLog } from "../test/helpers/etcd.js";
import { kvNoPartitionModel, parseKvLog } from "../test/helpers/kv.js";

const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;

interface Row {
  name: string;
  operations: number;
  expected: CheckResult;
  result: CheckResult;
  first: number;
  median: number;
  min: number;
  cpu: number;
  go: string;
  /** Shown instead of the result (for the total row). */
  summary?: string;
}

function time(check: () => CheckResult): { result: CheckResult; ms: number; cpu: number } {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const result = check();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  return { result, ms, cpu: (cpu.user + cpu.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function measure(
  name: string,
  operations: number,
  expected: CheckResult,
  go: string,
  check: () => CheckResult,
): Row {
  const first = time(check);
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = time(check);
    if (run.result !== first.result) throw new Error(`${name}: ${run.result} after ${first.result}`);
    samples.push(run.ms);
    cpu.push(run.cpu);
  }
  return {
    name,
    operations,
    expected,
    result: first.result,
    first: first.ms,
    median: RUNS > 0 ? median(samples) : first.ms,
    min: RUNS > 0 ? Math.min(...samples) : first.ms,
    cpu: RUNS > 0 ? median(cpu) : first.cpu,
    go,
  };
}

const GO_ETCD: Record<string, string> = { "etcd_002.log": "≈ 256", "etcd_007.log": "≈ 160" };
const GO_KV: Record<string, string> = { "c50-ok": "≈ 130", "c50-bad": "≈ 20–45" };

const rows: Row[] = [];
const etcdRows: Row[] = [];
for (const file of etcdFiles()) {
  if (file === "etcd_095.log") continue; // empty; porcupine's tests skip it
  const events = parseEtcdLog(readDataFile(`jepsen/${file}`));
  const operations = events.filter((e) => e.kind === "call").length;
  const row = measure(`jepsen/${file}`, operations, etcdExpected(file), GO_ETCD[file] ?? "", () =>
    checkEvents(registerModel, events),
  );
  etcdRows.push(row);
}
const sum = (pick: (row: Row) => number) => etcdRows.reduce((total, row) => total + pick(row), 0);
rows.push({
  name: `jepsen: all ${etcdRows.length} etcd logs`,
  operations: etcdRows.reduce((total, row) => total + row.operations, 0),
  expected: "ok",
  result: etcdRows.every((row) => row.result === row.expected) ? "ok" : "illegal",
  summary: `${etcdRows.filter((row) => row.result === row.expected).length}/${etcdRows.length} right`,
  first: sum((row) => row.first),
  median: sum((row) => row.median),
  min: sum((row) => row.min),
  cpu: sum((row) => row.cpu),
  go: "≈ 590",
});
for (const file of ["etcd_002.log", "etcd_007.log"])
  rows.push(etcdRows.find((row) => row.name.endsWith(file))!);
for (const row of [...etcdRows].sort((a, b) => b.median - a.median).slice(0, 3)) {
  if (!rows.includes(row)) rows.push(row);
}

for (const file of KV_FILES) {
  const events = parseKvLog(readDataFile(`kv/${file}.txt`));
  const operations = events.filter((e) => e.kind === "call").length;
  const expected: CheckResult = file.endsWith("-ok") ? "ok" : "illegal";
  rows.push(
    measure(`kv/${file} (per key)`, operations, expected, GO_KV[file] ?? "", () =>
      checkEvents(kvModel, events),
    ),
  );
}
for (const file of ["c01-ok", "c01-bad", "c10-ok", "c10-bad"]) {
  const events = parseKvLog(readDataFile(`kv/${file}.txt`));
  const operations = events.filter((e) => e.kind === "call").length;
  const expected: CheckResult = file.endsWith("-ok") ? "ok" : "illegal";
  const go = file.startsWith("c10") ? "≈ 1800–1900" : "";
  rows.push(
    measure(`kv/${file} (unpartitioned)`, operations, expected, go, () =>
      checkEvents(kvNoPartitionModel, events),
    ),
  );
}

const header = [
  "history",
  "ops",
  "result",
  "first ms",
  `median ms (${RUNS})`,
  "min ms",
  "median CPU ms",
  "Go ms",
];
const body = rows.map((row) => [
  row.name,
  String(row.operations),
  row.summary ??
    (row.result === row.expected ? row.result : `${row.result} (WRONG, expected ${row.expected})`),
  row.first.toFixed(1),
  row.median.toFixed(1),
  row.min.toFixed(1),
  row.cpu.toFixed(1),
  row.go,
]);
const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
const [load1] = loadavg();
console.log(
  `Node ${process.version}, ${availableParallelism()} cores, load average ${load1!.toFixed(1)}; ` +
    `${RUNS} timed runs after one cold run\n`,
);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const cells of body) console.log(line(cells));
if (rows.some((row) => row.result !== row.expected) || etcdRows.some((row) => row.result !== row.expected)) {
  process.exitCode = 1;
}
