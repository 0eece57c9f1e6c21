import { type RaftConfig, resolveConfig } from "../config.js";
import { RaftConfigError } from "../errors.js";
import type { PeerId, Random } from "../interfaces.js";
import type { AppendEntriesArgs, AppendEntriesReply, InstallSnapshotReply } from "../messages.js";
import { commandBytes } from "../storage/codec.js";
import type { HardState, LogEntry, RaftState, Role, SnapshotMeta } from "../types.js";
import { CheckQuorumTimer } from "./check-quorum.js";
import { configOf } from "./config-entry.js";
import { ConfigHistory } from "./config-history.js";
import type { LeadershipAcks } from "./leadership-acks.js";
import { RaftLog } from "./log.js";
import { isMember, isMemberId, type Membership, votersOnly } from "./membership.js";
import { isNoOp } from "./no-op.js";
import type { Progress } from "./progress.js";
import { ReadOnly } from "./read-only.js";
import { ReadyBuilder } from "./ready.js";
import { SnapshotReceiver } from "./snapshot-receiver.js";
import type { LeadershipTransfer } from "./transfer.js";

/** Durable state to start from (what a persister loaded), or nothing for a brand new member. */
export interface CoreInitialState<Command = unknown> {
  readonly hardState: HardState;
  readonly snapshot?: { readonly meta: SnapshotMeta; readonly data: Uint8Array } | undefined;
  /** The entries after the snapshot, in order. */
  readonly entries: readonly LogEntry<Command>[];
}

export interface CoreOptions<Command = unknown> {
  /** This member's id: a non-negative integer, stable for the life of its storage. */
  id: PeerId;
  /**
   * The initial voters of a new cluster, by id (every founding member must be given the same
   * list). An empty list starts a member that joins an existing cluster: it takes no part until
   * a leader adds it and sends it the log. Ignored once the log or a snapshot holds a
   * configuration. Default: 0 .. peerCount-1.
   */
  members?: readonly PeerId[];
  /** Shorthand for `members: [0 .. peerCount-1]`. */
  peerCount?: number;
  /** Source of randomized election timeouts. */
  random: Random;
  /** The current time (ms), to place the first election deadline. */
  now: number;
  config?: Partial<RaftConfig>;
  initial?: CoreInitialState<Command> | undefined;
  /**
   * The driver reports with `persisted(index)` when its log is durable through `index`, and the
   * leader counts its own copy of an entry toward a quorum only from then on. That lets a driver
   * send AppendEntries while its own write is still in flight (the leader's disk write and the
   * followers' then overlap). Default false: a Ready is persisted before any of it is acted on,
   * so the leader's whole log counts at once.
   */
  explicitDurability?: boolean;
  /**
   * The size in bytes that flow control counts for an entry (computed once per entry, when first
   * needed). Default: the length of its command's cbor encoding, as the wire carries it.
   */
  entryBytes?: (entry: LogEntry<Command>) => number;
}

/**
 * The core's state and what every rule reads or shares: terms and votes, the log and its configurations, the leader's progress table, the outputs (the Ready being built), the observers, and the small helpers all rules use.
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

  get term(): number {
    return this.currentTerm;
  }

  get role(): Role {
    return this.currentRole;
  }

  get isLeader(): boolean {
    return this.currentRole === "leader";
  }

  /** The leader this member last heard from in the current term, if any. */
  get leaderId(): PeerId | undefined {
    return this.leader;
  }

  get votedForId(): PeerId | null {
    return this.votedFor;
  }

  get commitIndex(): number {
    return this.commit;
  }

  get lastIndex(): number {
    return this.log.lastIndex;
  }

  get lastTerm(): number {
    return this.log.lastTerm;
  }

  get snapshotIndex(): number {
    return this.log.snapshotIndex;
  }

  /** The term of the entry at `index`, if the log still holds it (or it is the snapshot's last). */
  termAt(index: number): number | undefined {
    return this.log.termAt(index);
  }

  /** The entry at `index`; throws RangeError when compacted or beyond the end. */
  entryAt(index: number): LogEntry<Command> {
    return this.log.entry(index);
  }

  state(): RaftState {
    return { term: this.currentTerm, isLeader: this.isLeader };
  }

  /** The configuration in force: the latest in the log, committed or not (Raft thesis §4.1). */
  get membership(): Membership {
    return this.configs.latest;
  }

  /** The index of the entry that set `membership` (the snapshot's index, or 0, if none did). */
  get membershipIndex(): number {
    return this.configs.latestIndex;
  }

  /** A committed configuration removed this member: it must stop (it takes no part any more). */
  get removed(): boolean {
    return this.removedFlag;
  }

  /** Leader: how far member `peer` is known to hold the log (0 if unknown or not a member). */
  matchOf(peer: PeerId): number {
    return peer === this.id ? this.log.lastIndex : (this.progress.get(peer)?.match ?? 0);
  }

  /** Leader: the calls to `peer` that have not settled yet, and the bytes they carry. */
  inflight(peer: PeerId): { messages: number; bytes: number } {
    const pr = this.isLeader ? this.progress.get(peer) : undefined;
    return { messages: pr?.inflight.size ?? 0, bytes: pr?.inflightBytes ?? 0 };
  }

  /** Leader: bytes of its proposals that wait for a quorum (see `maxUncommittedBytes`). */
  get uncommitted(): number {
    return this.isLeader ? this.uncommittedBytes : 0;
  }

  /** The time at which `tick` has something to do (an election or a heartbeat). */
  nextWakeup(): number {
    return this.isLeader
      ? Math.min(this.heartbeatDeadline, this.checkQuorumTimer.deadline)
      : this.electionDeadline;
  }

  /** Leader stickiness: a leader, or a member that heard from one within an election timeout. */
  protected inLease(now: number): boolean {
    if (!this.config.checkQuorum) return false;
    return this.isLeader || now - this.leaderContactAt < this.config.electionTimeoutMinMs;
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

  protected acceptAppend(args: AppendEntriesArgs<Command>, lastNew: number): AppendEntriesReply {
    const target = Math.min(args.leaderCommit, lastNew);
    if (target > this.commit) {
      this.commit = target;
      this.emitApplies();
    }
    return { term: this.currentTerm, success: true, conflictIndex: 0, conflictTerm: 0 };
  }

  protected snapshotReply(installed: boolean, nextOffset: number): InstallSnapshotReply {
    return { term: this.currentTerm, installed, nextOffset };
  }

  protected rejectAppend(conflictIndex: number, conflictTerm: number): AppendEntriesReply {
    return { term: this.currentTerm, success: false, conflictIndex, conflictTerm };
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

/** The initial voters from the options: `members`, or 0 .. peerCount-1. */
function resolveMembers(options: { members?: readonly PeerId[]; peerCount?: number }): PeerId[] {
  const { members, peerCount } = options;
  if (members !== undefined) {
    if (peerCount !== undefined) throw new RaftConfigError("give either members or peerCount, not both");
    for (const id of members)
      if (!isMemberId(id)) throw new RaftConfigError(`bad member id ${String(id)}: a non-negative integer`);
    return [...new Set(members)];
  }

  if (peerCount === undefined || !Number.isInteger(peerCount) || peerCount < 1)
    throw new RaftConfigError(`bad peerCount ${String(peerCount)}: give a positive integer, or members`);
  return Array.from({ length: peerCount }, (_, i) => i);
}
