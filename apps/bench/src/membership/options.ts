import { parseArgs } from "node:util";
import { parseTiming, UsageError } from "../options.js";
import type { ReadsMode, Timing } from "../scenario.js";
import { CHANGE_DESCRIPTIONS, CHANGE_KINDS, type ChangeKind } from "./stall.js";

export interface MembershipOptions {
  /** State sizes (keys) a new member catches up with; empty: none measured. */
  sizes: number[];
  changes: ChangeKind[];
  runs: number;
  clients: number;
  keys: number;
  valueBytes: number;
  warmupMs: number;
  windowMs: number;
  maxRaftStateBytes: number | undefined;
  timing: Timing | undefined;
  reads: ReadsMode;
  /** Every wait (a leader, a change, the fill) gives up after this long. */
  limitMs: number;
  json: string | undefined;
  help: boolean;
}

export const MEMBERSHIP_HELP = `raftkit-bench membership: membership changes of raftkit-kv processes over TCP on loopback

Usage: raftkit-bench membership [options]

Catch-up: three members hold N keys; a new empty member (serve --join) is added as an
auto-promoting learner; how long until it is a voter, the bytes it received, and whether it
caught up by snapshot. Changes: 8 clients put 100-byte values into a fresh 3-member cluster;
after a window of plain writes one change is made; the longest time without an acknowledged
write and the throughput from the change's start, beside the window before.

Options:
  --sizes <list>       keys of state for the catch-up, comma-separated, or "none"
                       (default: 1000,10000,100000)
  --changes <list>     kinds of change, comma-separated, or "none" (default: all)
  --runs <n>           runs of each (a fresh cluster each); the median is shown (default: 3)
  --clients <n>        writing clients during a change (default: 8)
  --keys <n>           distinct keys the clients write during a change (default: 1000)
  --value-size <bytes> size of every value (default: 100)
  --warmup <s>         unmeasured seconds of writes before the window (default: 0.5)
  --window <s>         seconds measured before the change, and at least from its start (default: 2)
  --max-raft-state <bytes>  members snapshot once their log passes this (default: raftkit-kv's, 1 MiB)
  --heartbeat <ms> --election-timeout <min-max>  raft timing (default: raftkit-kv's)
  --limit <s>          give up on any wait after this long (default: 120)
  --json <file>        also write the results as JSON
  -h, --help           show this help

Changes:
${CHANGE_KINDS.map((k) => `  ${k.padEnd(17)} ${CHANGE_DESCRIPTIONS[k]}`).join("\n")}
`;

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag} needs a whole number of at least ${min}, got "${text}"`);
  return value;
}

function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} needs seconds, got "${text}"`);
  return value * 1000;
}

const list = (text: string): string[] => (text === "none" ? [] : text.split(",").map((s) => s.trim()));

export function parseMembershipOptions(argv: string[]): MembershipOptions {
  let v: ReturnType<typeof parse>["values"];
  try {
    v = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const changes = list(v.changes).map((name) => {
    if (!(CHANGE_KINDS as readonly string[]).includes(name))
      throw new UsageError(`unknown change "${name}"; known: ${CHANGE_KINDS.join(", ")}`);
    return name as ChangeKind;
  });
  const windowMs = seconds("--window", v.window);
  if (windowMs <= 0) throw new UsageError("--window must be more than 0");
  return {
    sizes: list(v.sizes).map((n) => wholeNumber("--sizes", n, 1)),
    changes,
    runs: wholeNumber("--runs", v.runs, 1),
    clients: wholeNumber("--clients", v.clients, 1),
    keys: wholeNumber("--keys", v.keys, 1),
    valueBytes: wholeNumber("--value-size", v["value-size"], 1),
    warmupMs: seconds("--warmup", v.warmup),
    windowMs,
    maxRaftStateBytes:
      v["max-raft-state"] === undefined ? undefined : wholeNumber("--max-raft-state", v["max-raft-state"], 1),
    timing: parseTiming(v.heartbeat, v["election-timeout"]),
    reads: "log",
    limitMs: seconds("--limit", v.limit),
    json: v.json,
    help: v.help,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      sizes: { type: "string", default: "1000,10000,100000" },
      changes: { type: "string", default: CHANGE_KINDS.join(",") },
      runs: { type: "string", default: "3" },
      clients: { type: "string", default: "8" },
      keys: { type: "string", default: "1000" },
      "value-size": { type: "string", default: "100" },
      warmup: { type: "string", default: "0.5" },
      window: { type: "string", default: "2" },
      "max-raft-state": { type: "string" },
      heartbeat: { type: "string" },
      "election-timeout": { type: "string" },
      limit: { type: "string", default: "120" },
      json: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
