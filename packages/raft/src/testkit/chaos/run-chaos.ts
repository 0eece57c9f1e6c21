import { SeededRandom, Simulation } from "@raftkit/labrpc";
import type { Operation } from "@raftkit/porcupine";
import { describeMembership } from "../../core/membership.js";
import type { Clock, Random } from "../../interfaces.js";
import { ChaosCluster } from "./chaos-cluster.js";
import { checkAcknowledgedWrites } from "./checkers/acknowledged-writes.js";
import { checkLinearizability } from "./checkers/linearizability.js";
import { checkRecovery } from "./checkers/liveness.js";
import type { Violation } from "./checkers/violation.js";
import type { MemberFactory } from "./member.js";
import { Nemesis } from "./nemesis.js";
import { proposeUntil, raftProbe } from "./raft-proposer.js";
import { formatSchedule, makeSchedule, type ScheduleOptions, type ScheduleStep } from "./schedule.js";
import type { StorageModel } from "./storage-model.js";
import { Timeline } from "./timeline.js";
import { type Workload, WorkloadRun } from "./workload.js";

export interface ChaosOptions<Command, Client, State, Input, Output> {
  /** Decides everything: the schedule, the network's dice, every timeout. */
  seed: number;
  members: number;
  /**
   * Spare member ids the nemesis may start and add during the run (default 0). With spares,
   * membership changes join the schedule's faults: adding a member (learner, then promoted
   * automatically or on request), removing a follower or the leader, replacing a member whose
   * disk is gone, a change cut short by a crash of the leader, and two changes asked at once.
   */
  spares?: number;
  /** Builds one member (a RaftNode, or your service on one). */
  member: MemberFactory<Command>;
  /**
   * Durable state across crashes (default: MemoryPersister, lab semantics); pass
   * `faultyMemoryStorage` for lost unsynced writes and disk faults.
   */
  storage?: (env: { clock: Clock; random: Random }) => StorageModel<Command>;
  /** Member errors that are the expected outcome of an injected fault (e.g. EIO). */
  isExpectedError?: (error: unknown) => boolean;
  /** Clients and their checks; without one, raft alone gets unique commands proposed to its leader. */
  workload?: Workload<Client, State, Input, Output>;
  /** Concurrent clients (default 3). */
  clients?: number;
  /** Mean pause between one client's operations, in virtual ms (default 10). */
  thinkMs?: number;
  /** Raft alone: the command with a given unique number (default: the string `cmd-<n>`). */
  command?: (unique: number) => Command;
  /** Raft alone: mean time between proposals, in virtual ms (default 40). */
  proposeEveryMs?: number;
  schedule?: ScheduleOptions;
  /** How long after the final heal everything must be served again (virtual ms, default 10 000). */
  recoveryBoundMs?: number;
  /** Real-time limit for porcupine (ms, default 10 000); past it the verdict is `unknown`. */
  linearizabilityTimeoutMs?: number;
}

export interface ChaosReport<Input = unknown, Output = unknown> {
  readonly seed: number;
  readonly members: number;
  /** `unknown`: no violation, but porcupine could not decide in time. */
  readonly verdict: "pass" | "fail" | "unknown";
  readonly violations: readonly Violation[];
  readonly schedule: readonly ScheduleStep[];
  /** The run as it happened, one line per event. */
  readonly timeline: string;
  readonly history: readonly Operation<Input, Output>[];
  /** Entries the checkers saw committed. */
  readonly committed: number;
  readonly virtualMs: number;
  /** Writes porcupine's visualisation of the history (services only). */
  readonly visualize?: (path: string) => string;
}

/** A schedule of its own, decided by the seed alone (the run's dice are the simulation's). */
const SCHEDULE_SALT = 0x5eed;

/**
 * One seeded chaos run in virtual time: build the cluster, start the clients (or the raft
 * proposer), play the seed's fault schedule with the safety checkers on, heal everything,
 * require service again within the bound, read everything back, then judge the history with
 * porcupine and the acknowledged-write oracle. The same seed replays the same run exactly.
 */
export function runChaos<Command, Client = unknown, State = unknown, Input = unknown, Output = unknown>(
  options: ChaosOptions<Command, Client, State, Input, Output>,
): Promise<ChaosReport<Input, Output>> {
  return new Simulation({ seed: options.seed }).run((sim) => chaosBody(sim, options));
}

async function chaosBody<Command, Client, State, Input, Output>(
  sim: Simulation,
  options: ChaosOptions<Command, Client, State, Input, Output>,
): Promise<ChaosReport<Input, Output>> {
  const env = { clock: sim, random: sim.random };
  const storage = options.storage?.(env);
  const cluster = new ChaosCluster<Command>(env, {
    members: options.members,
    ...(options.spares ? { spares: options.spares } : {}),
    member: options.member,
    ...(storage ? { storage } : {}),
    ...(options.isExpectedError ? { isExpectedError: options.isExpectedError } : {}),
  });
  const timeline = new Timeline(() => sim.now());
  const schedule = makeSchedule(new SeededRandom(options.seed ^ SCHEDULE_SALT), {
    ...options.schedule,
    diskFaults: cluster.storage.faults !== undefined,
    membership: (options.spares ?? 0) > 0,
  });
  timeline.note(`seed ${options.seed}: ${options.members} members; schedule:\n${formatSchedule(schedule)}`);
  const nemesis = new Nemesis(cluster as ChaosCluster<unknown>, sim, sim.random, timeline);
  const { workload } = options;
  const run = workload ? new WorkloadRun(workload, { ...env, ends: () => cluster.clientEnds() }) : undefined;
  const command = options.command ?? ((n: number) => `cmd-${n}` as Command);
  let proposing = true;
  if (run) run.start({ clients: options.clients ?? 3, thinkMs: options.thinkMs ?? 10 });
  else void proposeUntil(cluster, sim, command, () => proposing, options.proposeEveryMs ?? 40);

  const violations: Violation[] = [];
  const fail = (v: Violation | undefined) => {
    if (v && !violations.includes(v)) {
      violations.push(v);
      timeline.note(`VIOLATION ${v.checker}: ${v.message}`);
    }
  };
  const elected = await nemesis.awaitLeader(5_000);
  timeline.note(
    elected === undefined ? "no leader after 5 s; faults start anyway" : `member ${elected} leads`,
  );
  const played = await nemesis.play(schedule);
  nemesis.healAll();
  run?.stop();
  proposing = false;
  if (played) {
    const bound = options.recoveryBoundMs ?? 10_000;
    const healedAt = sim.now();
    const probe = run
      ? []
      : [{ label: "a proposal committed on every member", done: raftProbe(cluster, sim, command(0)) }];
    const changes = nemesis.membership?.pending() ?? [];
    fail(await checkRecovery(sim, bound, [...(run?.pending() ?? []), ...changes, ...probe]));
    if (violations.length > 0) timeline.note(`not served again: ${cluster.describe()}`);
    if (run && workload && violations.length === 0) {
      // Read back only once every acknowledged write is in: a read racing a write proves nothing.
      const reads = workload
        .finalReads()
        .map((input, k) => ({ label: `final read ${k}`, done: run.once(-1, input) }));
      fail(await checkRecovery(sim, Math.max(0, bound - (sim.now() - healedAt)), reads));
    }
    if (violations.length === 0) timeline.note(`served again ${sim.now() - healedAt} ms after the heal`);
  }
  nemesis.membership?.stop();
  cluster.check();
  if (nemesis.membership)
    timeline.note(`final configuration: ${describeMembership(cluster.roster.committed)}`);
  for (const v of [...cluster.violations, ...(run?.errors ?? []), ...(nemesis.membership?.errors ?? [])])
    fail(v);
  const history = run ? [...run.history] : [];
  let verdict: ChaosReport["verdict"] = violations.length > 0 ? "fail" : "pass";
  let visualize: ((path: string) => string) | undefined;
  if (run && workload) {
    const finals = history.filter((op) => op.clientId === -1);
    const lastReads = workload.finalReads().map((input) => finals.find((op) => sameInput(op.input, input)));
    if (violations.length === 0 && lastReads.every((r) => r !== undefined)) {
      fail(
        checkAcknowledgedWrites(
          history,
          lastReads as Operation<Input, Output>[],
          workload.shows ?? (() => undefined),
          sim.now(),
        ),
      );
    }
    const outcome = checkLinearizability(workload.model, history, {
      timeoutMs: options.linearizabilityTimeoutMs ?? 10_000,
      atMs: sim.now(),
    });
    fail(outcome.violation);
    visualize = outcome.visualize;
    if (outcome.verdict === "unknown" && violations.length === 0) verdict = "unknown";
  }
  if (violations.length > 0) verdict = "fail";
  timeline.note(
    `verdict: ${verdict} (${history.length} client operations, ${cluster.committedCount} entries committed)`,
  );
  cluster.close();
  return {
    seed: options.seed,
    members: options.members,
    verdict,
    violations,
    schedule,
    timeline: timeline.format(),
    history,
    committed: cluster.committedCount,
    virtualMs: sim.now(),
    ...(visualize ? { visualize } : {}),
  };
}

const sameInput = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
