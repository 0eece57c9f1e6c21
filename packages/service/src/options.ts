import {
  type Clock,
  DEFAULT_CONFIG,
  type PeerId,
  type Persister,
  type RaftConfig,
  type RaftStorage,
  type Random,
  type StateMachine,
  type Transport,
} from "@raftkit/raft";
import { ServiceConfigError } from "./errors.js";
import type { ServiceEntry } from "./replica/entry.js";
import { ENTRY_ENVELOPE_BYTES } from "./replica/size.js";
import type { SnapshotPolicyOptions } from "./replica/snapshot-policy.js";

export interface ReplicatedServiceOptions<Command, Result, Query, Answer> {
  /** This replica's raft member id (see RaftNodeOptions.id). */
  id: PeerId;
  /** Number of founding replicas: raft members 0 .. peerCount-1 on `transport`. */
  peerCount?: number;
  /** Instead of peerCount: the founding members' ids, or [] for a replica joining a running cluster. */
  members?: readonly PeerId[];
  /** Raft's transport (see `splitTransport` to serve clients on the same one). */
  transport: Transport;
  /** Raft's durable storage. `raftStateSize()`, when present, drives `snapshot.maxLogBytes`. */
  storage: RaftStorage<ServiceEntry<Command>> & Partial<Pick<Persister, "raftStateSize">>;
  /** The user's deterministic state machine, fresh (the log and snapshot fill it). */
  stateMachine: StateMachine<Command, Result, Query, Answer>;
  clock: Clock;
  random: Random;
  /** When to snapshot (default: never). */
  snapshot?: SnapshotPolicyOptions;
  /** Client sessions kept; opening one more evicts the least recently used (default 10 000). */
  maxSessions?: number;
  /** How long `submit` and `read` wait by default before SubmitTimeoutError (default 1000 ms). */
  timeoutMs?: number;
  /** How `read` is made linearizable (default `"read-index"`); see ReadMode. */
  reads?: ReadMode;
  /**
   * A command whose encoding is larger is refused with ValueTooLargeError. Default and maximum:
   * raft's `maxProposalBytes` (1 MiB unless `raftConfig` says otherwise) less the 64 bytes the
   * layer's log entry may add around a command, so that raft never refuses what this accepted.
   */
  maxCommandBytes?: number;
  /** The cluster's name: requests addressed to another cluster are refused (default: not checked). */
  cluster?: string;
  /** Called after each entry or snapshot is applied here, with the applied index (cheap: no event object). */
  onApplied?: (index: number) => void;
  /** Raft timing (heartbeats, election timeouts). */
  raftConfig?: Partial<RaftConfig>;
  /** Errors raft cannot attribute to a caller (default: rethrown, see RaftNode). */
  onError?: (error: unknown) => void;
}

/**
 * How `read` is made linearizable:
 * - `"read-index"`: raft's `readIndex()` — one heartbeat round confirms this leader (reads made
 *   together share it), then the answer comes from the state machine once it has applied the
 *   commit index of the call. No log entry, no fsync.
 * - `"lease"`: the same, but while the leader's lease holds (a majority acknowledged a heartbeat
 *   less than electionTimeoutMinMs - maxClockDriftMs ago) without the round. Needs raft's
 *   `checkQuorum` and trusts its `maxClockDriftMs` bound on clock drift between members.
 * - `"log"`: a no-op entry through the log; its apply proves this replica is up to date.
 */
export type ReadMode = "read-index" | "lease" | "log";

const READ_MODES: readonly ReadMode[] = ["read-index", "lease", "log"];

export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_MAX_SESSIONS = 10_000;

export interface ResolvedLimits {
  timeoutMs: number;
  maxSessions: number;
  maxCommandBytes: number;
  reads: ReadMode;
}

/** Checks the numeric options and fills in defaults; throws ServiceConfigError naming the range. */
export function resolveLimits(
  options: ReplicatedServiceOptions<unknown, unknown, unknown, unknown>,
): ResolvedLimits {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new ServiceConfigError(`timeoutMs must be > 0, got ${timeoutMs}`);
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  if (!(Number.isSafeInteger(maxSessions) && maxSessions >= 1)) {
    throw new ServiceConfigError(`maxSessions must be an integer >= 1, got ${maxSessions}`);
  }
  const maxCommandBytes = resolveMaxCommandBytes(options);
  const reads = options.reads ?? "read-index";
  if (!READ_MODES.includes(reads)) {
    throw new ServiceConfigError(`reads must be "read-index", "lease" or "log", got ${String(reads)}`);
  }
  if (reads === "lease" && !(options.raftConfig?.checkQuorum ?? DEFAULT_CONFIG.checkQuorum)) {
    throw new ServiceConfigError(
      'reads: "lease" needs raftConfig.checkQuorum: without it members do not refuse votes while they hear from the leader, so its lease proves nothing; turn checkQuorum on or use reads: "read-index"',
    );
  }
  return {
    timeoutMs,
    maxSessions,
    maxCommandBytes,
    reads,
  };
}

/** `maxCommandBytes`, checked against what raft accepts (`maxProposalBytes`, envelope included). */
function resolveMaxCommandBytes(options: {
  maxCommandBytes?: number;
  raftConfig?: Partial<RaftConfig>;
}): number {
  const proposalBytes = options.raftConfig?.maxProposalBytes ?? DEFAULT_CONFIG.maxProposalBytes;
  const room = proposalBytes - ENTRY_ENVELOPE_BYTES;
  if (!(room >= 1)) {
    throw new ServiceConfigError(
      `raftConfig.maxProposalBytes (${proposalBytes}) leaves no room for a command: the service's log entry adds up to ${ENTRY_ENVELOPE_BYTES} bytes around it; raise it`,
    );
  }
  const maxCommandBytes = options.maxCommandBytes ?? room;
  if (!(Number.isSafeInteger(maxCommandBytes) && maxCommandBytes >= 1)) {
    throw new ServiceConfigError(`maxCommandBytes must be an integer >= 1, got ${maxCommandBytes}`);
  }
  if (maxCommandBytes > room) {
    throw new ServiceConfigError(
      `maxCommandBytes (${maxCommandBytes}) is more than raft accepts: raftConfig.maxProposalBytes is ${proposalBytes}, of which the service's log entry takes up to ${ENTRY_ENVELOPE_BYTES}, leaving ${room}: lower maxCommandBytes or raise raftConfig.maxProposalBytes`,
    );
  }
  return maxCommandBytes;
}

/** Options of one `submit` or `read`. */
export interface CallOptions {
  /** Gives up at once with the signal's reason; a submitted command may still take effect (once). */
  signal?: AbortSignal;
  /** Overrides the service's `timeoutMs` for this call. */
  timeoutMs?: number;
}

/**
 * A client session: its id (what `openSession` resolved with) and this request's sequence number
 * (1, 2, 3, ...).
 */
export interface Session {
  readonly sessionId: number;
  readonly seq: number;
}
