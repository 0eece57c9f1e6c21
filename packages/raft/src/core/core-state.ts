import { type RaftConfig, resolveConfig } from "../config.js";
import { RaftConfigError } from "../errors.js";
import type { PeerId, Random } from "../interfaces.js";
import { commandBytes } from "../storage/codec.js";
import type { LogEntry, Role } from "../types.js";
import { CheckQuorumTimer } from "./check-quorum.js";
import { configOf } from "./config-entry.js";
import { ConfigHistory } from "./config-history.js";
import { type CoreOptions, resolveMembers } from "./core-options.js";
import type { LeadershipAcks } from "./leadership-acks.js";
import { RaftLog } from "./log.js";
import { isMember, isMemberId, votersOnly } from "./membership.js";
import { isNoOp } from "./no-op.js";
import type { Progress } from "./progress.js";
import { ReadOnly } from "./read-only.js";
import { ReadyBuilder } from "./ready.js";
import { SnapshotReceiver } from "./snapshot-receiver.js";
import type { LeadershipTransfer } from "./transfer.js";

/**
 * The core's state and what every rule reads or shares: terms and votes, the log and its configurations, the leader's progress table, the outputs (the Ready being built), and the small helpers all rules use (what callers may read is in `CoreObservers`).
 */
export abstract class CoreState<Command = unknown> {
  readonly id: PeerId;
  protected readonly explicitDurability: boolean;
  /** With explicit durability: this member's log is durable through here. */
  protected durableIndex = 0;
  readonly config: Readonly<RaftConfig>;
  protected readonly random: Random;
  /** The configurations the log holds; the latest is in force, committed or not. */
  protected readonly configs: ConfigHistory;
  /**
   * Leader: members the latest configuration removed, still sent the log so that they learn the
   * removal committed; each is dropped once it acknowledged a commit index that covers it, or
   * at its deadline (one election timeout after the commit; Infinity before).
   */
  protected readonly leaving = new Map<PeerId, { index: number; deadline: number }>();
  /** A configuration that removed this member has committed: it must stop. */
  protected removedFlag = false;
  protected readonly log: RaftLog<Command>;
  protected readonly out = new ReadyBuilder<Command>();
  protected readonly incomingSnapshot = new SnapshotReceiver();
  protected readonly measure: (entry: LogEntry<Command>) => number;
  protected currentTerm = 0;
  protected votedFor: PeerId | null = null;
  protected currentRole: Role = "follower";
  protected leader: PeerId | undefined;
  protected snapshotData: Uint8Array = new Uint8Array(0);
  protected commit = 0;
  /** Highest index handed out in `applies` (commands or snapshot). */
  protected applied = 0;
  protected votes = new Set<PeerId>();
  protected progress = new Map<PeerId, Progress>();
  protected electionDeadline = 0;
  protected heartbeatDeadline = Number.POSITIVE_INFINITY;
  /** Proposals since the last takeReady() that followers have not been sent yet. */
  protected proposalsPending = false;
  /** Leader: bytes of its own proposals (from `firstOwnIndex` on) not committed yet. */
  protected uncommittedBytes = 0;
  protected firstOwnIndex = Number.POSITIVE_INFINITY;
  /** Leader only: which followers acknowledged which of its messages, and when those were sent. */
  protected acks: LeadershipAcks | undefined;
  /** Leader only: reads waiting for a majority to confirm this leadership. */
  protected readonly readOnly = new ReadOnly();
  /** A read arrived since the last takeReady(): broadcast a heartbeat round there. */
  protected readRoundPending = false;
  /** How many elections and pre-vote rounds this member started, and how often it became leader. */
  readonly counts = { elections: 0, preVotes: 0, leaderships: 0 };
  /** Leader only: a leadership transfer in progress. */
  protected transfer: LeadershipTransfer | undefined;
  /** Leader only: a TimeoutNow went out this term, so members' stickiness no longer backs a lease. */
  protected timeoutNowSentThisTerm = false;
  /** When this member last heard from a leader of its term (leader stickiness). */
  protected leaderContactAt = Number.NEGATIVE_INFINITY;
  protected readonly checkQuorumTimer: CheckQuorumTimer;
  /** The latest time any input carried, for bookkeeping in paths that have none (proposals). */
  protected lastNow: number;
  constructor(options: CoreOptions<Command>) {
    const { id } = options;
    this.explicitDurability = options.explicitDurability ?? false;
    const initialMembers = resolveMembers(options);
    if (!isMemberId(id)) throw new RaftConfigError(`bad id ${id}: a member id is a non-negative integer`);
    if (initialMembers.length > 0 && !initialMembers.includes(id)) {
      throw new RaftConfigError(
        `id ${id} is not among the initial members ${initialMembers.join(", ")}: give the full list including this member, or an empty list to join an existing cluster`,
      );
    }
    this.id = id;
    this.config = resolveConfig(options.config);
    this.random = options.random;
    const initial = options.initial;
    this.measure = options.entryBytes ?? ((entry) => commandBytes(entry.command));
    this.log = new RaftLog(initial?.snapshot?.meta, initial ? [...initial.entries] : [], this.measure);
    this.durableIndex = this.log.lastIndex; // loaded from storage: durable
    const snapshotMeta = initial?.snapshot?.meta;
    this.configs = new ConfigHistory(
      snapshotMeta?.config ?? votersOnly(initialMembers),
      snapshotMeta?.index ?? 0,
    );
    initial?.entries.forEach((entry, i) => {
      const membership = configOf(entry);
      if (membership) this.configs.append(this.log.snapshotIndex + 1 + i, membership);
    });
    if (initial) {
      this.currentTerm = initial.hardState.term;
      this.votedFor = initial.hardState.votedFor;
      if (initial.snapshot && initial.snapshot.meta.index > 0) {
        this.snapshotData = initial.snapshot.data;
        this.commit = this.applied = initial.snapshot.meta.index;
        // The service starts from the snapshot, delivered first, like any later one.
        this.out.apply({ kind: "snapshot", ...initial.snapshot.meta, snapshot: initial.snapshot.data });
      }
    }
    this.lastNow = options.now;
    this.checkQuorumTimer = new CheckQuorumTimer(this.config.electionTimeoutMinMs);
    // A member that restarts may have acknowledged a leader's heartbeat just before: it keeps the
    // promise behind that leader's lease by refusing votes for one timeout after it starts.
    if (this.config.checkQuorum) this.leaderContactAt = options.now;
    this.resetElectionDeadline(options.now);
  }

  /** Leader stickiness: a leader, or a member that heard from one within an election timeout. */
  protected inLease(now: number): boolean {
    if (!this.config.checkQuorum) return false;
    return this.currentRole === "leader" || now - this.leaderContactAt < this.config.electionTimeoutMinMs;
  }

  protected isUpToDate(lastTerm: number, lastIndex: number): boolean {
    const myTerm = this.log.lastTerm;
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.log.lastIndex);
  }

  protected resetElectionDeadline(now: number): void {
    const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = this.config;
    this.electionDeadline = now + min + this.random.int(Math.max(1, Math.floor(max - min)));
  }

  /** How much of its own log the leader may count toward a quorum. */
  protected ownMatch(): number {
    return this.explicitDurability ? Math.min(this.durableIndex, this.log.lastIndex) : this.log.lastIndex;
  }

  protected emitApplies(): void {
    for (let index = this.applied + 1; index <= this.commit; index++) {
      const entry = this.log.entry(index);
      const membership = configOf(entry);
      if (isNoOp(entry)) this.out.apply({ kind: "noop", index, term: entry.term });
      else if (membership) {
        this.out.apply({ kind: "config", index, term: entry.term, membership });
        // This member was in the configuration before and is not in this one: it was removed.
        if (!isMember(membership, this.id) && isMember(this.configs.at(index - 1), this.id))
          this.removedFlag = true;
      } else this.out.apply({ kind: "command", index, term: entry.term, command: entry.command });
    }
    this.applied = this.commit;
  }

  protected persistHardState(): void {
    this.out.setHardState({ term: this.currentTerm, votedFor: this.votedFor });
  }

  // ---- implemented by the layers above ----------------------------------------------------

  protected abstract maybeCommit(): void;
  protected abstract configCommitted(): void;
  protected abstract maybePromote(): void;
  protected abstract confirmReads(): void;
  protected abstract sendTimeoutNowIfCaughtUp(): boolean;
  protected abstract acknowledged(from: PeerId, message: object): void;
  protected abstract observeTerm(term: number, now: number): boolean;
  protected abstract leftForGood(from: PeerId, leaderCommit: number): boolean;
  protected abstract acceptLeader(term: number, leaderId: PeerId, now: number): void;
  protected abstract adoptConfig(): void;
}
