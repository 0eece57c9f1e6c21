import { parseArgs } from "node:util";
import { CONFIGS, DEFAULT_CONFIGS } from "./configs.js";

/** A command line that cannot run: the message says what to change. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "ERR_CHAOS_USAGE";
}

export interface RunnerOptions {
  configs: string[];
  seeds: number;
  from: number;
  /** A single seed to replay (prints its timeline). */
  seed: number | undefined;
  jobs: number;
  out: string;
  json: string | undefined;
  /** Real-process chaos over TCP instead of the simulation. */
  processes: boolean;
  /** Faults per real-process seed. */
  faults: number;
}

export const USAGE = `usage: raftkit-chaos [--seeds N] [--from S] [--seed S] [--jobs J] [--config a,b] [--out DIR] [--json FILE]
  --seeds N    seeds in all (default 100), from --from (default 1); seed s runs configuration s mod the count
  --seed S     replay one seed of each configuration and print its timeline
  --jobs J     worker processes (default 2)
  --config     ${CONFIGS.map((c) => c.name).join(", ")} (default: ${DEFAULT_CONFIGS.join(",")})
  --out DIR    where failing seeds write timeline.txt and history.html (default chaos-failures)
  --processes  real raftkit-kv processes over TCP behind fault proxies instead (seeds run one at a time)
  --faults N   faults per real-process seed (default 12)
  --json FILE  also append every result to FILE as a JSON line, as it comes`;

function whole(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${name} needs a whole number of at least ${min}, got "${text}"`);
  return n;
}

export function parseOptions(argv: readonly string[]): RunnerOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seeds: { type: "string", default: "100" },
      from: { type: "string", default: "1" },
      seed: { type: "string" },
      jobs: { type: "string", default: "2" },
      config: { type: "string", default: DEFAULT_CONFIGS.join(",") },
      out: { type: "string", default: "chaos-failures" },
      json: { type: "string" },
      processes: { type: "boolean", default: false },
      faults: { type: "string", default: "12" },
    },
  });
  const configs = values.config.split(",").filter((c) => c.length > 0);
  for (const name of configs) {
    if (!CONFIGS.some((c) => c.name === name)) {
      throw new UsageError(
        `unknown configuration "${name}"; choose from ${CONFIGS.map((c) => c.name).join(", ")}`,
      );
    }
  }
  return {
    configs,
    seeds: whole("--seeds", values.seeds, 1),
    from: whole("--from", values.from, 0),
    seed: values.seed === undefined ? undefined : whole("--seed", values.seed, 0),
    jobs: whole("--jobs", values.jobs, 1),
    out: values.out,
    json: values.json,
    processes: values.processes,
    faults: whole("--faults", values.faults, 1),
  };
}
