import { execFileSync } from "node:child_process";
import { cpus, platform, release } from "node:os";
import { fileURLToPath } from "node:url";
import type { BenchOptions } from "../options.js";
import { measuredMs } from "../run.js";

/** What a reader needs to reproduce or compare a report: how it was run, on what, from which code. */
export interface RunInfo {
  /** ISO 8601, when the run started. */
  date: string;
  node: string;
  os: string;
  cpus: string;
  /** The git commit of the code that ran (`-dirty` with uncommitted changes), or "unknown". */
  commit: string;
  parameters: {
    runs: number;
    durationS: number;
    warmupS: number;
    clients: number[];
    mix: { get: number; put: number; append: number };
    keys: number;
    valueBytes: number;
    /** How kvraft's Gets were made linearizable (etcd's are always its own ReadIndex). */
    reads: string;
    /** `--heartbeat <ms> --election-timeout <min-max>` if given, else "defaults". */
    timing: string;
    /** `--node-flags` of the raftkit-kv server processes, if any. */
    nodeFlags?: string[];
  };
  /** Each scenario run, with its measured seconds per run (a failover needs at least 2). */
  scenarios: Array<{ name: string; description: string; durationS: number }>;
}

/** The commit of this checkout, or "unknown" when the code does not run from a git checkout. */
export function currentCommit(): string {
  const cwd = fileURLToPath(new URL(".", import.meta.url));
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return `${git(["rev-parse", "--short=12", "HEAD"])}${dirty ? "-dirty" : ""}`;
  } catch {
    return "unknown";
  }
}

export function collectRunInfo(options: BenchOptions, started: Date): RunInfo {
  const cpu = cpus();
  const { mix, keys, valueSize } = options.workload;
  return {
    date: started.toISOString(),
    node: process.version,
    os: `${platform()} ${release()}`,
    cpus: `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown"}`,
    commit: currentCommit(),
    parameters: {
      runs: options.runs,
      durationS: options.durationMs / 1000,
      warmupS: options.warmupMs / 1000,
      clients: options.clients,
      mix: { ...mix },
      keys,
      valueBytes: valueSize,
      reads: options.reads,
      timing: options.timing
        ? `heartbeat ${options.timing.heartbeatMs} ms, election timeout ${options.timing.electionTimeoutMs.min}-${options.timing.electionTimeoutMs.max} ms`
        : "defaults",
      ...(options.nodeFlags.length > 0 ? { nodeFlags: [...options.nodeFlags] } : {}),
    },
    scenarios: options.scenarios.map((s) => ({
      name: s.name,
      description: s.description,
      durationS: measuredMs(options, s) / 1000,
    })),
  };
}

/** The parameters as one line, as the program prints them and the page shows them. */
export function describeParameters({ parameters: p, scenarios }: RunInfo): string {
  const longer = scenarios.filter((s) => s.durationS !== p.durationS);
  const duration = `${p.durationS} s${longer.map((s) => `, ${s.name} ${s.durationS} s`).join("")}`;
  return (
    `${p.runs} run(s) of ${duration} per row after ${p.warmupS} s of warm-up (median shown, min–max spread), ` +
    `clients ${p.clients.join(", ")}, mix get:put:append ${p.mix.get}:${p.mix.put}:${p.mix.append}, ` +
    `${p.keys} keys, ${p.valueBytes}-byte values, kvraft reads by ${p.reads}, raft timing: ${p.timing}` +
    (p.nodeFlags ? `, raftkit-kv under node ${p.nodeFlags.join(" ")}` : "")
  );
}
