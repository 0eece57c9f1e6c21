import type { KvCommand } from "@raftkit/kvsrv";
import { type LockCommand, LockMachine, type LockResult, type LockState, lockParsers } from "@raftkit/locks";
import { lockWorkload } from "@raftkit/locks/testkit";
import type { StateMachine } from "@raftkit/raft";
import {
  acceptsConcurrentChanges,
  type ChaosOptions,
  faultyMemoryStorage,
  HashChain,
  kvWorkload,
  raftMember,
} from "@raftkit/raft/testkit";
import { chaosReplica } from "@raftkit/service/testkit";
import { acknowledgeBeforeCommit, ForgetfulLockMachine, staleCachedReads } from "./broken-services.js";
import { kvRaftClient, kvRaftMember } from "./kvraft-member.js";

/** A chaos configuration: what runs under the nemesis, and whether it is meant to survive. */
export interface ChaosConfig {
  readonly name: string;
  readonly description: string;
  /** Negative controls are broken on purpose: the runner expects them to fail. */
  readonly expect: "pass" | "fail";
  // biome-ignore lint/suspicious/noExplicitAny: configurations differ in command and client types
  options(seed: number): ChaosOptions<any, any, any, any, any>;
}

/** Short schedules: more seeds per minute beat longer runs per seed (2-5 faults, holds up to 3 s). */
const SCHEDULE = { steps: { min: 2, max: 5 }, maxHoldMs: 3000 } as const;

/**
 * The negative control's schedule: only the leader isolated and two new voters asked at once,
 * short holds, faults kept on — configurations two changes apart, on either side of a cut.
 */
const CONCURRENT_CHANGES_SCHEDULE = {
  kinds: ["partition-leader", "grow-by-two"],
  steps: { min: 4, max: 7 },
  maxHoldMs: 400,
  overlapPercent: 100,
} as const;

/** 3 or 5 members, half and half, decided by the seed (a multiplicative hash's top bit). */
const membersFor = (seed: number): number => (Math.imul(seed, 0x9e3779b1) >>> 31 === 0 ? 3 : 5);

/**
 * Spare ids for the membership configurations: up to 4 members added over a run (3 → 7 or
 * 5 → 9 at most, with removals in between).
 */
const SPARES = 4;

/** A service with 3 clients under the nemesis, on fault-injecting storage. */
const withClients = (
  name: string,
  description: string,
  expect: "pass" | "fail",
  // biome-ignore lint/suspicious/noExplicitAny: configurations differ in command and client types
  parts: Pick<ChaosOptions<any, any, any, any, any>, "member" | "workload" | "spares">,
): ChaosConfig => ({
  name,
  description,
  expect,
  options: (seed) => ({
    seed,
    members: membersFor(seed),
    ...parts,
    clients: 3,
    schedule: SCHEDULE,
    storage: faultyMemoryStorage,
    thinkMs: 40,
  }),
});

const kv = (
  name: string,
  description: string,
  member: Parameters<typeof kvRaftMember>[0],
  expect: "pass" | "fail" = "pass",
  spares = 0,
): ChaosConfig =>
  withClients(name, description, expect, {
    member: kvRaftMember(member),
    workload: kvWorkload({ client: kvRaftClient }),
    ...(spares > 0 ? { spares } : {}),
  });

const locks = (
  name: string,
  description: string,
  Machine: new () => StateMachine<LockCommand, LockResult, string, LockState>,
  expect: "pass" | "fail" = "pass",
  spares = 0,
): ChaosConfig =>
  withClients(name, description, expect, {
    member: chaosReplica({
      stateMachine: () => new Machine(),
      parsers: lockParsers,
      replica: { snapshot: { maxLogEntries: 25 } },
    }),
    workload: lockWorkload(),
    ...(spares > 0 ? { spares } : {}),
  });

/** Raft alone with a hash chain; `spares` adds membership changes to the faults. */
const raftAlone = (name: string, description: string, spares = 0): ChaosConfig => ({
  name,
  description,
  expect: "pass",
  options: (seed) => ({
    seed,
    members: membersFor(seed),
    member: raftMember({ machine: () => new HashChain() }),
    schedule: SCHEDULE,
    storage: faultyMemoryStorage,
    ...(spares > 0 ? { spares } : {}),
  }),
});

export const CONFIGS: readonly ChaosConfig[] = [
  raftAlone("raft", "raft alone, a hash-chain state machine, proposals every ~40 ms"),
  kv("kvraft", "kvraft, Gets through the log, 3 clients", { reads: "log" }),
  kv("kvraft-read-index", "kvraft, Gets by ReadIndex", { reads: "read-index" }),
  kv("kvraft-snapshots", "kvraft, snapshot at 2 KB of raft state", { maxRaftState: 2000 }),
  locks(
    "locks",
    "the lock service (@raftkit/locks) on the service layer, 2 locks, 4 owners, snapshots every 25 entries",
    LockMachine,
  ),
  // Membership changes as faults: configurations of their own, so that the seeds of the ones
  // above replay exactly as before (their schedules never draw a membership fault).
  raftAlone("raft-membership", "raft alone, plus membership changes among the faults (4 spare ids)", SPARES),
  kv("kvraft-membership", "kvraft, plus membership changes among the faults", {}, "pass", SPARES),
  locks(
    "locks-membership",
    "the lock service, plus membership changes among the faults",
    LockMachine,
    "pass",
    SPARES,
  ),
  kv(
    "broken-stale-read",
    "negative control: Gets served from a 300 ms cache",
    { wrap: staleCachedReads },
    "fail",
  ),
  kv(
    "broken-early-ack",
    "negative control: writes acknowledged before commit",
    { wrap: acknowledgeBeforeCommit },
    "fail",
  ),
  locks(
    "broken-forgetful-locks",
    "negative control: lock snapshots forget who holds each lock",
    ForgetfulLockMachine,
    "fail",
  ),
  {
    name: "broken-concurrent-changes",
    description:
      "negative control: a leader that never refuses a membership change as pending (3 members; partitions of the leader and two new voters asked at once)",
    expect: "fail",
    options: (seed) => ({
      seed,
      members: 3,
      spares: SPARES,
      member: acceptsConcurrentChanges(raftMember({ machine: () => new HashChain() })),
      schedule: CONCURRENT_CHANGES_SCHEDULE,
    }),
  },
  {
    name: "broken-worker-crash",
    description: "runner check: an uncaught error kills the worker mid-seed",
    expect: "fail",
    options: (seed) => ({
      seed,
      members: 3,
      member: (ctx) => {
        const member = raftMember({})(ctx);
        ctx.clock.setTimer(500, () => {
          throw new Error(`uncaught in member ${ctx.id}`);
        });
        return member;
      },
    }),
  },
];

/** The configurations `npm run chaos` runs by default (the negative controls only on request). */
export const DEFAULT_CONFIGS = CONFIGS.filter((c) => c.expect === "pass").map((c) => c.name);

export function findConfig(name: string): ChaosConfig | undefined {
  return CONFIGS.find((c) => c.name === name);
}

export type { KvCommand };
