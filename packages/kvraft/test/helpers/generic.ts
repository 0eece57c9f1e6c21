import { type Simulation, simTest } from "@raftkit/labrpc";
import type { ReadMode } from "@raftkit/service";
import { test } from "uvu";
import type { Clerk } from "../../src/index.js";
import { checkClientAppends, element } from "./checks.js";
import { ELECTION_TIMEOUT_MS, KvRaftConfig, type PassedFigures, readsSuffix } from "./config.js";
import { type CheckOutcome, checkLinearizable, type KvOperation } from "./linearizability.js";
import { append, get, put } from "./ops.js";

export interface GenericOptions {
  part: "4A" | "4B";
  clients: number;
  servers: number;
  unreliable: boolean;
  crash: boolean;
  partitions: boolean;
  /** -1: no snapshots. */
  maxRaftState: number;
  randomKeys: boolean;
  /** Beyond the lab: long reordering of replies (the title says so). */
  longReordering?: boolean;
  /** How the servers serve Gets (default: through the log); another way is noted in the title. */
  reads?: ReadMode;
}

export interface GenericOutcome {
  figures: PassedFigures;
  check: CheckOutcome;
  history: number;
}

/** The lab's title: "Test: " + the conditions + "one client"/"many clients" + " (4A)". */
export function genericTitle(o: GenericOptions): string {
  let title = "Test: ";
  if (o.longReordering) title += "long reordering, ";
  if (o.unreliable) title += "unreliable net, ";
  if (o.crash) title += "restarts, ";
  if (o.partitions) title += "partitions, ";
  if (o.maxRaftState !== -1) title += "snapshots, ";
  if (o.randomKeys) title += "random keys, ";
  title += o.clients > 1 ? "many clients" : "one client";
  return `${title} (${o.part})${readsSuffix(o.reads)}`;
}

const ITERATIONS = 3;
const CLIENT_RUN_MS = 5000;
const UNDISTURBED_MS = 1000;

/** Stops a loop from the outside. */
interface Flag {
  done: boolean;
}

/** One client of GenericTest; returns how many Appends (and random-key Puts) it made. */
async function runClient(
  cfg: KvRaftConfig,
  o: GenericOptions,
  cli: number,
  log: KvOperation[],
  stop: Flag,
): Promise<number> {
  const ck = cfg.makeClient(cfg.all());
  const random = cfg.sim.random;
  let j = 0;
  let last = "";
  if (!o.randomKeys) await put(cfg, ck, String(cli), last, log, cli);
  while (!stop.done) {
    const key = o.randomKeys ? String(random.int(o.clients)) : String(cli);
    const nv = element(cli, j);
    if (random.int(1000) < 500) {
      await append(cfg, ck, key, nv, log, cli);
      if (!o.randomKeys) last += nv;
      j++;
    } else if (o.randomKeys && random.int(1000) < 100) {
      await put(cfg, ck, key, nv, log, cli);
      j++;
    } else {
      const value = await get(cfg, ck, key, log, cli);
      if (!o.randomKeys && value !== last) {
        throw new Error(`get wrong value, key ${key}, wanted:\n${last}\n, got\n${value}`);
      }
    }
  }
  cfg.deleteClient(ck);
  return j;
}

/** The lab's partitioner: random two-way splits of the servers, each lasting ET + 0–199 ms. */
async function partitioner(cfg: KvRaftConfig, stop: Flag): Promise<void> {
  const random = cfg.sim.random;
  while (!stop.done) {
    const side = cfg.all().map(() => random.int(2));
    cfg.partition(
      cfg.all().filter((i) => side[i] === 0),
      cfg.all().filter((i) => side[i] === 1),
    );
    await cfg.sim.sleep(ELECTION_TIMEOUT_MS + random.int(200));
  }
}

/**
 * The lab's GenericTest: three rounds of clients running 5 s (with the partitioner and/or a
 * crash and restart of every server), each round checked key by key through the main clerk,
 * the log and snapshot sizes checked against maxRaftState, and the whole history with porcupine.
 */
export async function genericTest(sim: Simulation, o: GenericOptions): Promise<GenericOutcome> {
  const cfg = new KvRaftConfig(sim, {
    servers: o.servers,
    unreliable: o.unreliable,
    maxRaftState: o.maxRaftState,
    longReordering: o.longReordering ?? false,
    reads: o.reads ?? "log",
  });
  try {
    cfg.begin(genericTitle(o));
    const log: KvOperation[] = [];
    const ck: Clerk = cfg.makeClient(cfg.all());
    for (let round = 0; round < ITERATIONS; round++) {
      const clientsStop: Flag = { done: false };
      const partitionerStop: Flag = { done: false };
      const clients = Array.from({ length: o.clients }, (_, cli) => runClient(cfg, o, cli, log, clientsStop));
      let partitioning: Promise<void> | undefined;
      if (o.partitions) {
        await sim.sleep(UNDISTURBED_MS);
        partitioning = partitioner(cfg, partitionerStop);
      }
      await sim.sleep(CLIENT_RUN_MS);
      clientsStop.done = true;
      partitionerStop.done = true;
      if (partitioning) {
        await partitioning;
        cfg.connectAll();
        await sim.sleep(ELECTION_TIMEOUT_MS);
      }
      if (o.crash) {
        for (let i = 0; i < o.servers; i++) cfg.shutdownServer(i);
        await sim.sleep(ELECTION_TIMEOUT_MS);
        for (let i = 0; i < o.servers; i++) cfg.startServer(i);
        cfg.connectAll();
      }
      const counts = await Promise.all(clients);
      for (let cli = 0; cli < o.clients; cli++) {
        const value = await get(cfg, ck, String(cli), log, 0);
        if (!o.randomKeys) checkClientAppends(cli, value, counts[cli]!);
      }
      if (o.maxRaftState > 0) {
        const size = cfg.logSize();
        if (size > 8 * o.maxRaftState) {
          throw new Error(`logs were not trimmed (${size} > 8*${o.maxRaftState})`);
        }
      }
      if (o.maxRaftState < 0) {
        const size = cfg.snapshotSize();
        if (size > 0) {
          throw new Error(
            `snapshot too large (${size}), should not be used when maxraftstate = ${o.maxRaftState}`,
          );
        }
      }
    }
    const check = await checkLinearizable(log);
    const figures = cfg.end();
    return { figures, check, history: log.length };
  } finally {
    cfg.cleanup();
  }
}

export interface SpeedOutcome {
  figures: PassedFigures;
  msPerOp: number;
  rpcsPerOp: number;
}

const SPEED_OPS = 1000;
/** "heartbeat interval should be ~100 ms; require at least 3 ops per heartbeat". */
const MAX_MS_PER_OP = 100 / 3;

/** The lab's GenericTestSpeed: 1000 sequential Appends by one clerk, ≤ 33.3 ms each. */
export async function speedTest(
  sim: Simulation,
  part: "4A" | "4B",
  maxRaftState: number,
): Promise<SpeedOutcome> {
  const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState });
  try {
    const ck = cfg.makeClient(cfg.all());
    // Recorded for porcupine, but through the clerk directly: the lab counts no ops here.
    const log: KvOperation[] = [];
    const record = async <T>(
      input: KvOperation["input"],
      run: () => Promise<T>,
      output: (r: T) => KvOperation["output"],
    ) => {
      const call = cfg.stamp();
      const result = await run();
      log.push({ clientId: 0, input, call, output: output(result), return: cfg.stamp() });
      return result;
    };
    cfg.begin(`Test: ops complete fast enough (${part})`);
    await record(
      { op: "get", key: "x" },
      () => ck.get("x"),
      (value) => ({ value }),
    );
    const rpcs0 = cfg.net.getTotalCount();
    const start = sim.now();
    for (let i = 0; i < SPEED_OPS; i++) {
      const value = element(0, i);
      await record(
        { op: "append", key: "x", value },
        () => ck.append("x", value),
        () => ({}),
      );
    }
    const elapsed = sim.now() - start;
    const rpcs = cfg.net.getTotalCount() - rpcs0;
    const value = await record(
      { op: "get", key: "x" },
      () => ck.get("x"),
      (v) => ({ value: v }),
    );
    checkClientAppends(0, value, SPEED_OPS);
    const msPerOp = elapsed / SPEED_OPS;
    if (msPerOp > MAX_MS_PER_OP) {
      throw new Error(
        `Operations completed too slowly ${msPerOp.toFixed(1)} ms/op > ${MAX_MS_PER_OP.toFixed(1)} ms/op`,
      );
    }
    await checkLinearizable(log);
    const figures = cfg.end();
    return { figures, msPerOp, rpcsPerOp: rpcs / SPEED_OPS };
  } finally {
    cfg.cleanup();
  }
}

/** The lab's hardest mix: 15 clients on random keys against 7 servers, an unreliable net and partitions. */
export const HARDEST_MIX = {
  clients: 15,
  servers: 7,
  unreliable: true,
  partitions: true,
  randomKeys: true,
} as const;

/**
 * Registers one GenericTest per lab test: `cases` maps the lab's function name to what it sets
 * over `base`, and each test is named as the lab prints it (`TestX4A: Test: ... (4A)`).
 */
export function labTests(
  base: Partial<GenericOptions>,
  cases: Record<string, Partial<GenericOptions>>,
): void {
  for (const [name, options] of Object.entries(cases)) {
    const o = { ...base, ...options } as GenericOptions;
    test(
      `${name}: ${genericTitle(o)}`,
      simTest(async (sim) => {
        await genericTest(sim, o);
      }),
    );
  }
}
