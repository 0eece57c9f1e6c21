import type { KvCommand } from "@raftkit/kvsrv";
import { type LockCommand, LockMachine, type LockResult, type LockState, lockParsers } from "@raftkit/locks";
import { lockWorkload } from "@raftkit/locks/testkit";
import type { StateMachine } from "@raftkit/raft";
import {
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

/** 3 or 5 members, half and half, decided by the seed (a multiplicative hash's top bit). */
const membersFor = (seed: number): number => (Math.imul(seed, 0x9e3779b1) >>> 31 === 0 ? 3 : 5);

/** A service with 3 clients under the nemesis, on fault-injecting storage. */
const withClients = (
  name: string,
  description: string,
  expect: "pass" | "fail",
  // biome-ignore lint/suspicious/noExplicitAny: configurations differ in command and client types
  parts: Pick<ChaosOptions<any, any, any, any, any>, "member" | "workload">,
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
): ChaosConfig =>
  withClients(name, description, expect, {
    member: kvRaftMember(member),
    workload: kvWorkload({ client: kvRaftClient }),
  });

const locks = (
  name: string,
  description: string,
  Machine: new () => StateMachine<LockCommand, LockResult, string, LockState>,
  expect: "pass" | "fail" = "pass",
): ChaosConfig =>
  withClients(name, description, expect, {
    member: chaosReplica({
      stateMachine: () => new Machine(),
      parsers: lockParsers,
      replica: { snapshot: { maxLogEntries: 25 } },
    }),
    workload: lockWorkload(),
  });

export const CONFIGS: readonly ChaosConfig[] = [
  {
    name: "raft",
    description: "raft alone, a hash-chain state machine, proposals every ~40 ms",
    expect: "pass",
    options: (seed) => ({
      seed,
      members: membersFor(seed),
      member: raftMember({ machine: () => new HashChain() }),
      schedule: SCHEDULE,
      storage: faultyMemoryStorage,
    }),
  },
  kv("kvraft", "kvraft, Gets through the log, 3 clients", { reads: "log" }),
  kv("kvraft-read-index", "kvraft, Gets by ReadIndex", { reads: "read-index" }),
  kv("kvraft-snapshots", "kvraft, snapshot at 2 KB of raft state", { maxRaftState: 2000 }),
  locks(
    "locks",
    "the lock service (@raftkit/locks) on the service layer, 2 locks, 4 owners, snapshots every 25 entries",
    LockMachine,
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
