import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Clerk } from "@raftkit/kvraft";
import { realClock, SeededRandom } from "@raftkit/labrpc";
import type { KvInput, KvOutput, Operation } from "@raftkit/porcupine";
import {
  checkAcknowledgedWrites,
  checkLinearizability,
  checkRecovery,
  kvWorkload,
  Timeline,
  type Violation,
  WorkloadRun,
} from "@raftkit/raft/testkit";
import { endsOf } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { KvProcesses } from "./kv-processes.js";
import { injectProcessFault, PROCESS_FAULTS } from "./process-faults.js";

export interface ProcessChaosOptions {
  seed: number;
  /** Members (default 3). */
  members?: number;
  /** Faults in the schedule (default 6). */
  faults?: number;
  /** Longest a fault is held, in ms (default 2000). */
  maxHoldMs?: number;
  clients?: number;
  /**
   * After the heal, the clients go on until they have this many acknowledged writes in all (at
   * most 30 s more), so a run judges enough of them however slow the machine (default 0).
   */
  minAcknowledgedWrites?: number;
}

export interface ProcessChaosReport {
  readonly seed: number;
  readonly verdict: "pass" | "fail" | "unknown";
  readonly violations: readonly Violation[];
  readonly timeline: string;
  readonly history: readonly Operation<KvInput, KvOutput>[];
  readonly acknowledgedWrites: number;
  readonly visualize: (path: string) => string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Writes the clients (not the final reads, client -1) saw acknowledged. */
const acknowledgedWritesOf = (history: readonly Operation<KvInput, KvOutput>[]): number =>
  history.filter((op) => op.input.op !== "get" && op.clientId !== -1).length;
/** After the heal, how long everything may take to be served again (real ms, loaded machine). */
const RECOVERY_BOUND_MS = 30_000;

/**
 * Real-process chaos: raftkit-kv members over TCP behind fault proxies, clients appending and
 * reading throughout, a seeded schedule of partitions, one-way cuts, delays, connection resets,
 * kill -9 with restarts from disk and SIGSTOP/SIGCONT; then heal, require service within 30 s,
 * read everything back and check the whole history with porcupine and every acknowledged append.
 * Real time: the seed fixes the schedule, not the interleaving.
 */
export async function runProcessChaos(options: ProcessChaosOptions): Promise<ProcessChaosReport> {
  const random = new SeededRandom(options.seed);
  const root = mkdtempSync(join(tmpdir(), "raftkit-process-chaos-"));
  const cluster = await KvProcesses.create(
    options.members ?? 3,
    (i) => join(root, `member-${i}`),
    () => random.float(),
  );
  const timeline = new Timeline(() => realClock.now());
  const transports: TcpTransport[] = [];
  const ends = () => {
    const tcp = new TcpTransport({
      cluster: "raftkit",
      self: `chaos-client-${transports.length}`,
      peers: [...cluster.addresses],
      callTimeoutMs: 1000,
      log: () => {},
    });
    transports.push(tcp);
    return endsOf(
      tcp,
      cluster.addresses.map((_, i) => i),
    );
  };
  const workload = kvWorkload({ client: (e, env) => new Clerk(e, env) });
  const run = new WorkloadRun(workload, { clock: realClock, random, ends });
  const violations: Violation[] = [];
  const fail = (v: Violation | undefined) => {
    if (v) {
      violations.push(v);
      timeline.note(`VIOLATION ${v.checker}: ${v.message}`);
    }
  };
  try {
    for (let i = 0; i < cluster.size; i++) cluster.start(i);
    for (let t = 0; (await cluster.leaders()).length === 0; t++) {
      if (t > 150) throw new Error(`no leader within 15 s:\n${cluster.logOf(0).join("\n")}`);
      await sleep(100);
    }
    timeline.note(`seed ${options.seed}: ${cluster.size} raftkit-kv processes up, a leader elected`);
    run.start({ clients: options.clients ?? 3, thinkMs: 5 });
    for (let k = 0; k < (options.faults ?? 6); k++) {
      await sleep(200 + random.int(800));
      const kind = PROCESS_FAULTS[random.int(PROCESS_FAULTS.length)]!;
      const fault = await injectProcessFault(kind, cluster, random);
      timeline.note(`${kind}: ${fault.text}`);
      await sleep(300 + random.int(options.maxHoldMs ?? 2000));
      await fault.heal();
      timeline.note(`heal: ${fault.text}`);
    }
    cluster.healAll();
    for (let i = 0; i < cluster.size; i++) if (!cluster.isRunning(i)) cluster.start(i);
    timeline.note("heal everything");
    const healedAt = realClock.now();
    const enough = options.minAcknowledgedWrites ?? 0;
    for (const until = realClock.now() + RECOVERY_BOUND_MS; realClock.now() < until; ) {
      if (acknowledgedWritesOf(run.history) >= enough) break;
      await sleep(100);
    }
    run.stop();
    fail(await checkRecovery(realClock, RECOVERY_BOUND_MS, run.pending()));
    if (violations.length === 0) {
      const reads = workload
        .finalReads()
        .map((input, k) => ({ label: `final read ${k}`, done: run.once(-1, input) }));
      fail(await checkRecovery(realClock, RECOVERY_BOUND_MS, reads));
      timeline.note(`served again ${Math.round(realClock.now() - healedAt)} ms after the heal`);
    }
    for (const e of run.errors) fail(e);
    const history = [...run.history];
    const finals = history.filter((op) => op.clientId === -1);
    if (violations.length === 0)
      fail(checkAcknowledgedWrites(history, finals, workload.shows!, realClock.now()));
    const outcome = checkLinearizability(workload.model, history, {
      timeoutMs: 20_000,
      atMs: realClock.now(),
    });
    fail(outcome.violation);
    const verdict = violations.length > 0 ? "fail" : outcome.verdict === "unknown" ? "unknown" : "pass";
    const acknowledgedWrites = acknowledgedWritesOf(history);
    timeline.note(
      `verdict: ${verdict} (${history.length} operations, ${acknowledgedWrites} acknowledged writes)`,
    );
    return {
      seed: options.seed,
      verdict,
      violations,
      timeline: timeline.format(),
      history,
      acknowledgedWrites,
      visualize: outcome.visualize,
    };
  } finally {
    run.stop();
    await cluster.close();
    await Promise.all(transports.map((t) => t.close()));
    rmSync(root, { recursive: true, force: true });
  }
}
