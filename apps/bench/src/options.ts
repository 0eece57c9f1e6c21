import { parseArgs } from "node:util";
import { ETCD_ENV, findEtcd, missingEtcd } from "./etcd/binary.js";
import type { ReadsMode, Scenario, Timing } from "./scenario.js";
import { DEFAULT_SCENARIOS, findScenario, SCENARIOS, withEtcdCounterparts } from "./scenarios/index.js";
import type { Workload } from "./workload.js";

export interface BenchOptions {
  scenarios: Scenario[];
  clients: number[];
  durationMs: number;
  /** --duration was given: it then applies to every scenario, even those that want longer. */
  durationExplicit: boolean;
  warmupMs: number;
  runs: number;
  workload: Workload;
  reads: ReadsMode;
  /** --heartbeat and --election-timeout, if given (else every system runs with its defaults). */
  timing: Timing | undefined;
  /** Where server processes write CPU profiles (--profile-dir), if anywhere. */
  profileDir: string | undefined;
  /** Node.js flags for every raftkit-kv server process (--node-flags), e.g. V8 heap sizing. */
  nodeFlags: string[];
  json: string | undefined;
  html: string | undefined;
  help: boolean;
}

/** A bad flag or value: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const HELP = `raftkit-bench: ops/s, latency and messages per op for raftkit's key/value services

Usage: raftkit-bench [options]
       raftkit-bench membership [options]   (membership changes: raftkit-bench membership --help)

Options:
  --scenario <names>   comma-separated scenarios to run (default: all); see below
  --clients <list>     concurrent clients, comma-separated (default: 1,8,64)
  --duration <s>       measured seconds per run (default: 0.75; failover scenarios: at least 2)
  --warmup <s>         unmeasured seconds before each run (default: 0.25), and until every
                       client has completed an operation (at most 30 s)
  --runs <n>           runs per scenario and client count; the median is reported (default: 3)
  --mix <g:p:a>        relative weights of Get, Put, Append (default: 50:25:25)
  --keys <n>           distinct keys (default: 1000)
  --value-size <bytes> size of each Put/Append value (default: 100)
  --reads <mode>       how kvraft makes a Get linearizable: log (a log entry and an fsync),
                       read-index (one heartbeat round) or lease (no round while the
                       leader's lease holds) (default: log)
  --heartbeat <ms>     raft heartbeat interval of the raftkit and etcd deployments
                       (default: each system's own, raftkit 150, etcd 100)
  --election-timeout <min-max>  raft election timeout range in ms; etcd gets min (it draws
                       from [min, 2 min) itself) (default: raftkit 500-1000, etcd 1000)
  --vs-etcd            also run, after each scenario, the same load on etcd (etcd-tcp-3,
                       etcd-failover-tcp-3, etcd-planned-stop-tcp-3) and print the ratios;
                       needs etcd 3.4+ on PATH or in $${ETCD_ENV}
  --profile-dir <dir>  run the TCP scenarios' server processes under node --cpu-prof, each
                       writing member-<id>-<start>.cpuprofile into <dir> when it stops (profile
                       the bench process itself with node --cpu-prof apps/bench/dist/main.js)
  --node-flags=<flags> Node.js flags for every raftkit-kv server process, space-separated
                       (with "=", as they start with a dash), e.g.
                       --node-flags=--min-semi-space-size=16 (a larger young generation:
                       fewer scavenges per put); the default is none
  --json <file>        also write the results as JSON
  --html <file>        also write a self-contained HTML report with charts
  -h, --help           show this help

Scenarios (those starting with etcd- only when named or with --vs-etcd):
${SCENARIOS.map((s) => `  ${s.name.padEnd(24)} ${s.description}`).join("\n")}
`;

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} needs a ${integer ? "whole " : ""}number, got "${text}"`);
  }
  return value;
}

export function parseOptions(argv: string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const named = v.scenario
    ? v.scenario.split(",").map((name) => {
        const found = findScenario(name.trim());
        if (!found)
          throw new UsageError(
            `unknown scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(", ")}`,
          );
        return found;
      })
    : [...DEFAULT_SCENARIOS];
  const scenarios = v["vs-etcd"] ? withEtcdCounterparts(named) : named;
  if (scenarios.some((s) => s.requires === "etcd") && !findEtcd()) {
    throw new UsageError(missingEtcd());
  }
  const clients = v.clients.split(",").map((c) => positiveNumber("--clients", c.trim(), true));
  if (clients.some((c) => c < 1)) throw new UsageError("--clients must all be at least 1");
  const mix = v.mix.split(":").map((w) => positiveNumber("--mix", w, false));
  if (mix.length !== 3 || mix.every((w) => w === 0))
    throw new UsageError(`--mix needs three weights like 50:25:25, got "${v.mix}"`);
  const runs = positiveNumber("--runs", v.runs, true);
  const keys = positiveNumber("--keys", v.keys, true);
  if (runs < 1 || keys < 1) throw new UsageError("--runs and --keys must be at least 1");
  const reads = v.reads as ReadsMode;
  if (!["log", "read-index", "lease"].includes(reads))
    throw new UsageError(`--reads must be log, read-index or lease, got "${v.reads}"`);
  const durationMs = positiveNumber("--duration", v.duration, false) * 1000;
  if (durationMs <= 0) throw new UsageError("--duration must be more than 0");
  return {
    scenarios,
    clients,
    durationMs,
    durationExplicit: argv.some((a) => a === "--duration" || a.startsWith("--duration=")),
    warmupMs: positiveNumber("--warmup", v.warmup, false) * 1000,
    runs,
    workload: {
      mix: { get: mix[0]!, put: mix[1]!, append: mix[2]! },
      keys,
      valueSize: positiveNumber("--value-size", v["value-size"], true),
    },
    reads,
    timing: parseTiming(v.heartbeat, v["election-timeout"]),
    profileDir: v["profile-dir"],
    nodeFlags: parseNodeFlags(v["node-flags"]),
    json: v.json,
    html: v.html,
    help: v.help,
  };
}

/** --node-flags: space-separated flags for node itself, each starting with "--". */
export function parseNodeFlags(text: string | undefined): string[] {
  const flags = (text ?? "").split(/\s+/).filter((flag) => flag !== "");
  const bad = flags.find((flag) => !flag.startsWith("--"));
  if (bad !== undefined) {
    throw new UsageError(`--node-flags takes node's own flags, each starting with "--", got "${bad}"`);
  }
  return flags;
}

/** --heartbeat and --election-timeout: both or neither, heartbeat < min < max. */
export function parseTiming(heartbeat: string | undefined, election: string | undefined): Timing | undefined {
  if (heartbeat === undefined && election === undefined) return undefined;
  const range = /^(\d+)-(\d+)$/.exec(election ?? "");
  const heartbeatMs = Number(heartbeat);
  const min = Number(range?.[1]);
  const max = Number(range?.[2]);
  if (!range || !Number.isInteger(heartbeatMs) || !(0 < heartbeatMs && heartbeatMs < min && min < max)) {
    throw new UsageError(
      `--heartbeat <ms> and --election-timeout <min-max> go together with heartbeat < min < max, got ${heartbeat ?? "no --heartbeat"} and ${election ?? "no --election-timeout"}`,
    );
  }
  return { heartbeatMs, electionTimeoutMs: { min, max } };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: "string" },
      clients: { type: "string", default: "1,8,64" },
      duration: { type: "string", default: "0.75" },
      warmup: { type: "string", default: "0.25" },
      runs: { type: "string", default: "3" },
      mix: { type: "string", default: "50:25:25" },
      keys: { type: "string", default: "1000" },
      "value-size": { type: "string", default: "100" },
      reads: { type: "string", default: "log" },
      heartbeat: { type: "string" },
      "election-timeout": { type: "string" },
      "vs-etcd": { type: "boolean", default: false },
      "profile-dir": { type: "string" },
      "node-flags": { type: "string" },
      json: { type: "string" },
      html: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
