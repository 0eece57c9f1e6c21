import { type RaftConfig, resolveConfig } from "../config.js";
import {
  MembershipChangeError,
  MembershipChangePendingError,
  ProposalTooLargeError,
  RaftConfigError,
  RaftUsageError,
  UncommittedLimitError,
} from "../errors.js";
import type { PeerId, Random } from "../interfaces.js";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  OutgoingMessage,
  RequestVoteArgs,
  RequestVoteReply,
  TimeoutNowArgs,
  TimeoutNowReply,
} from "../messages.js";
import { commandBytes } from "../storage/codec.js";
import type { HardState, LogEntry, RaftState, Role, SnapshotMeta, StartResult } from "../types.js";
import { CheckQuorumTimer } from "./check-quorum.js";
import { configEntry, configOf, isReservedCommand } from "./config-entry.js";
import { ConfigHistory } from "./config-history.js";
import { LeadershipAcks } from "./leadership-acks.js";
import { leaseExpiresAt } from "./lease.js";
import { RaftLog } from "./log.js";
import {
  applyChange,
  isMember,
  isMemberId,
  isVoter,
  type Membership,
  type MembershipChange,
  membersOf,
  votersOnly,
} from "./membership.js";
import { isNoOp, noOpEntry } from "./no-op.js";
import { answerPreVote } from "./pre-vote.js";
import {
  acknowledge,
  canSend,
  enterProbe,
  enterReplicate,
  enterSnapshot,
  freshProgress,
  type Progress,
  settle,
  track,
} from "./progress.js";
import { isMajority, majorityValue } from "./quorum.js";
import { ReadOnly } from "./read-only.js";
import { type Ready, ReadyBuilder } from "./ready.js";
import { SnapshotReceiver } from "./snapshot-receiver.js";
import { LeadershipTransfer, mostUpToDate } from "./transfer.js";

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
 * The Raft protocol as a synchronous state machine without I/O. Inputs: `tick(now)`, incoming
 * requests (`handle*`, which return the reply), replies to its own requests (`on*Reply`),
 * `propose(command)` and `compact(index, data)`. Outputs accumulate until `takeReady()`: hard
 * state and log writes to make durable, requests to send, and entries/snapshots to apply.
 * The caller must persist a Ready before acting on its other parts (see `Ready`).
 */
export class RaftCore<Command = unknown> {
  readonly id: PeerId;
  private readonly explicitDurability: boolean;
  /** With explicit durability: this member's log is durable through here. */
  private durableIndex = 0;
  readonly config: Readonly<RaftConfig>;
  private readonly random: Random;
  /** The configurations the log holds; the latest is in force, committed or not. */
  private readonly configs: ConfigHistory;
  /**
   * Leader: members the latest configuration removed, still sent the log so that they learn the
   * removal committed; each is dropped once it acknowledged a commit index that covers it, or
   * at its deadline (one election timeout after the commit; Infinity before).
   */
  private readonly leaving = new Map<PeerId, { index: number; deadline: number }>();
  /** A configuration that removed this member has committed: it must stop. */
  private removedFlag = false;
  private readonly log: RaftLog<Command>;
  private readonly out = new ReadyBuilder<Command>();
  private readonly incomingSnapshot = new SnapshotReceiver();
  private readonly measure: (entry: LogEntry<Command>) => number;

  private currentTerm = 0;
  private votedFor: PeerId | null = null;
  private currentRole: Role = "follower";
  private leader: PeerId | undefined;
  private snapshotData: Uint8Array = new Uint8Array(0);
  private commit = 0;
  /** Highest index handed out in `applies` (commands or snapshot). */
  private applied = 0;
  private votes = new Set<PeerId>();
  private progress = new Map<PeerId, Progress>();
  private electionDeadline = 0;
  private heartbeatDeadline = Number.POSITIVE_INFINITY;
  /** Proposals since the last takeReady() that followers have not been sent yet. */
  private proposalsPending = false;
  /** Leader: bytes of its own proposals (from `firstOwnIndex` on) not committed yet. */
  private uncommittedBytes = 0;
  private firstOwnIndex = Number.POSITIVE_INFINITY;
  /** Leader only: which followers acknowledged which of its messages, and when those were sent. */
  private acks: LeadershipAcks | undefined;
  /** Leader only: reads waiting for a majority to confirm this leadership. */
  private readonly readOnly = new ReadOnly();
  /** A read arrived since the last takeReady(): broadcast a heartbeat round there. */
  private readRoundPending = false;
  /** How many elections and pre-vote rounds this member started, and how often it became leader. */
  readonly counts = { elections: 0, preVotes: 0, leaderships: 0 };
  /** Leader only: a leadership transfer in progress. */
  private transfer: LeadershipTransfer | undefined;
  /** Leader only: a TimeoutNow went out this term, so members' stickiness no longer backs a lease. */
  private timeoutNowSentThisTerm = false;
  /** When this member last heard from a leader of its term (leader stickiness). */
  private leaderContactAt = Number.NEGATIVE_INFINITY;
  private readonly checkQuorumTimer: CheckQuorumTimer;
  /** The latest time any input carried, for bookkeeping in paths that have none (proposals). */
  private lastNow: number;

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

  // ---- observers ---------------------------------------------------------------------------

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

  // ---- inputs ------------------------------------------------------------------------------

  /** Advances timers: starts an election or sends heartbeats when their time has come. */
  tick(now: number): void {
    this.lastNow = now;
    if (this.isLeader) {
      if (
        this.config.checkQuorum &&
        this.checkQuorumTimer.due(now) &&
        !this.acks?.takeActive(this.configs.latest.voters)
      ) {
        // No majority replied during a whole election timeout: step down (check-quorum).
        this.leader = undefined;
        this.becomeFollower(now);
        return;
      }
      if (this.transfer && now >= this.transfer.deadline) {
        this.out.transferEnded({ target: this.transfer.target, outcome: "timeout" });
        this.transfer = undefined;
      }
      this.dropLeavingPastDeadline(now);
      if (now >= this.heartbeatDeadline) this.heartbeat(now);
    } else if (now >= this.electionDeadline) {
      // Learners, members being added or removed, and removed members never campaign.
      if (!isVoter(this.configs.latest, this.id)) this.resetElectionDeadline(now);
      else if (this.config.preVote) this.preCampaign(now);
      else this.campaign(now);
    }
  }

  /**
   * Appends a command if this member is the leader. Followers are sent it at the next
   * `takeReady()`, together with every other proposal made before it. `bytes` is its size if
   * the caller measured it already. Throws ProposalTooLargeError over `maxProposalBytes`, and
   * UncommittedLimitError (retryable) while `maxUncommittedBytes` wait for a quorum. `undefined`
   * is refused: it marks raft's own no-op entries.
   */
  propose(command: Command, bytes?: number): StartResult {
    if (command === undefined)
      throw new RaftUsageError("cannot propose undefined: it marks raft's no-op entries");
    if (isReservedCommand(command))
      throw new RaftUsageError(
        "cannot propose a command with the key raftkit:membership: it marks configuration entries; use changeMembership",
      );
    // A transferring leader takes no proposals: the client retries on the new leader.
    if (!this.isLeader || this.transfer) return { index: -1, term: this.currentTerm, isLeader: false };
    const entry: LogEntry<Command> = { term: this.currentTerm, command };
    const size = bytes ?? this.measure(entry);
    const { maxProposalBytes, maxUncommittedBytes } = this.config;
    if (size > maxProposalBytes) throw new ProposalTooLargeError(size, maxProposalBytes);
    // Always room for one, whatever its size (etcd's rule): a large proposal is never stuck.
    if (this.uncommittedBytes > 0 && this.uncommittedBytes + size > maxUncommittedBytes)
      throw new UncommittedLimitError(this.uncommittedBytes, maxUncommittedBytes);
    const index = this.appendOwn(entry, size);
    return { index, term: this.currentTerm, isLeader: true };
  }

  /** Appends an entry of the leader's own making; followers get it at the next takeReady(). */
  private appendOwn(entry: LogEntry<Command>, size: number): number {
    const index = this.log.lastIndex + 1;
    this.log.append([entry], size);
    this.uncommittedBytes += size;
    this.out.writeEntries(index, [entry]);
    this.proposalsPending = true;
    const { voters } = this.configs.latest;
    if (voters.length === 1 && voters[0] === this.id) this.maybeCommit();
    return index;
  }

  /**
   * Leader: appends the configuration `change` leads to (single-server changes; it takes effect
   * at once, as every member uses the latest configuration in its log). Returns where it will
   * be committed, or isLeader false when this member is not the leader (or is transferring).
   * Throws MembershipChangePendingError (retryable) while a change is uncommitted or before this
   * leader has committed an entry of its own term (the 2015 single-server anomaly), and
   * MembershipChangeError for a change that makes no sense (an unknown member, a learner not
   * caught up yet for `promote`, the last voter).
   */
  changeMembership(change: MembershipChange, now: number): StartResult {
    this.lastNow = now;
    if (!this.isLeader || this.transfer) return { index: -1, term: this.currentTerm, isLeader: false };
    if (!this.committedOwnTerm())
      throw new MembershipChangePendingError(
        this.log.lastIndex,
        "this leader has not committed an entry of its term yet",
      );
    if (this.configs.latestIndex > this.commit)
      throw new MembershipChangePendingError(this.configs.latestIndex, "another change is not committed yet");
    if (
      change.kind === "promote" &&
      this.configs.latest.learners.includes(change.id) &&
      !this.caughtUp(change.id)
    ) {
      throw new MembershipChangePendingError(
        this.commit,
        `learner ${change.id} holds the log through ${this.matchOf(change.id)} of ${this.commit} committed entries; it is promoted once caught up`,
      );
    }
    const next = applyChange(this.configs.latest, change);
    if (typeof next === "string") throw new MembershipChangeError(change, next);
    return this.appendConfig(next);
  }

  private appendConfig(next: Membership): StartResult {
    const entry = configEntry<Command>(this.currentTerm, next);
    const index = this.appendOwn(entry, 0);
    this.configs.append(index, next);
    this.adoptConfig();
    // A change may have made this leader the only voter, or removed it: count again.
    this.maybeCommit();
    return { index, term: this.currentTerm, isLeader: true };
  }

  /**
   * The guard single-server changes need (Ongaro, raft-dev 2015): a leader changes the
   * configuration only once it has committed an entry of its own term (its no-op). Otherwise a
   * leader of an older term holding an uncommitted change could win under that configuration
   * and overwrite a committed one (test/scenario-membership.test.ts shows it without the guard).
   */
  protected committedOwnTerm(): boolean {
    return this.log.termAt(this.commit) === this.currentTerm;
  }

  /** A learner is close enough to be promoted once it holds every committed entry. */
  private caughtUp(id: PeerId): boolean {
    const pr = this.progress.get(id);
    return pr !== undefined && pr.mode === "replicate" && pr.match >= this.commit;
  }

  /**
   * Asks to confirm, for read `id`, that this member still leads. Returns false (and does
   * nothing) when it is not the leader. Otherwise a later Ready's `reads` holds `{ id, index }`
   * once a majority acknowledged a message sent after this call and an entry of this term is
   * committed (serve the read once the state machine has applied `index`), or `{ id, lost }`
   * if leadership is lost first. Reads made before the next `takeReady()` share one heartbeat
   * round, sent there.
   */
  readIndex(id: number, now: number): boolean {
    this.lastNow = now;
    if (!this.isLeader || !this.acks) return false;
    this.readOnly.add(id, this.acks.lastSeq);
    this.readRoundPending = true;
    this.confirmReads();
    return true;
  }

  /**
   * A lease read: like `readIndex`, but answered at once (in the next Ready, no heartbeat round)
   * while the leader's lease holds (see `leaseExpiresAt`); otherwise it falls back to a round.
   * Needs check-quorum (throws RaftUsageError without it).
   */
  leaseRead(id: number, now: number): boolean {
    if (!this.config.checkQuorum) {
      throw new RaftUsageError(
        "lease reads need checkQuorum: without it members do not refuse votes while they hear from a leader; turn checkQuorum on or use readIndex",
      );
    }
    this.lastNow = now;
    if (!this.isLeader || !this.acks) return false;
    const leaseHolds = !this.timeoutNowSentThisTerm && now < this.leaseExpiry(now);
    if (this.log.termAt(this.commit) === this.currentTerm && leaseHolds) {
      this.out.read({ id, index: this.commit });
      return true;
    }
    return this.readIndex(id, now);
  }

  /**
   * Starts handing leadership to `to` (default: the follower with the most of the log): no more
   * proposals are taken; once the target holds the whole log it is sent TimeoutNow and
   * campaigns at once. Returns the target, or undefined when this member is not the leader (or
   * is alone). The outcome comes in a later Ready's `transfers`: `done` when this member steps
   * down for the newer term, `timeout` after one election timeout (it then goes on leading).
   */
  transferLeadership(to: PeerId | undefined, now: number): PeerId | undefined {
    this.lastNow = now;
    const { voters } = this.configs.latest;
    if (!this.isLeader || voters.every((v) => v === this.id)) return undefined;
    const target = to ?? this.bestSuccessor();
    if (target === undefined || target === this.id || !voters.includes(target)) {
      throw new RaftUsageError(
        `cannot transfer leadership to ${String(target)}: name another voter (${voters.filter((v) => v !== this.id).join(", ")})`,
      );
    }
    if (this.transfer) {
      if (this.transfer.target === target) return target;
      throw new RaftUsageError(
        `a transfer to member ${this.transfer.target} is in progress; wait for it to end`,
      );
    }
    this.transfer = new LeadershipTransfer(target, now + this.config.electionTimeoutMinMs);
    if (!this.sendTimeoutNowIfCaughtUp()) this.sendAppend(target, true);
    return target;
  }

  /** The voter other than this member with the most of the log, if any. */
  private bestSuccessor(): PeerId | undefined {
    const matches = new Map<PeerId, number>();
    for (const voter of this.configs.latest.voters)
      if (voter !== this.id) matches.set(voter, this.progress.get(voter)?.match ?? 0);
    return mostUpToDate(matches);
  }

  /** The target of the transfer in progress, if any. */
  get transferTarget(): PeerId | undefined {
    return this.transfer?.target;
  }

  /** Sent by a transferring leader: campaign at once, past pre-vote and the members' stickiness. */
  handleTimeoutNow(args: TimeoutNowArgs, now: number): TimeoutNowReply {
    this.lastNow = now;
    const voter = isVoter(this.configs.latest, this.id);
    if (args.term === this.currentTerm && !this.isLeader && this.leader === args.leaderId && voter) {
      this.campaign(now, true);
    }
    return { term: this.currentTerm };
  }

  onTimeoutNowReply(_from: PeerId, _args: TimeoutNowArgs, reply: TimeoutNowReply, now: number): void {
    this.lastNow = now;
    this.observeTerm(reply.term, now);
  }

  /** Sends TimeoutNow if a transfer waits and its target holds the whole log; returns whether it did. */
  private sendTimeoutNowIfCaughtUp(): boolean {
    const transfer = this.transfer;
    if (!transfer || !this.isLeader) return false;
    if ((this.progress.get(transfer.target)?.match ?? 0) < this.log.lastIndex) return false;
    transfer.timeoutNowSent = true;
    this.timeoutNowSentThisTerm = true;
    const args = { term: this.currentTerm, leaderId: this.id };
    this.out.send({ to: transfer.target, method: "TimeoutNow", args });
    return true;
  }

  /** Leader only: when its lease ends, from the latest heartbeat a majority acknowledged. */
  private leaseExpiry(now: number): number {
    if (!this.acks) return Number.NEGATIVE_INFINITY;
    return leaseExpiresAt(this.acks.confirmedSentAt(now, this.configs.latest.voters), this.config);
  }

  /**
   * The service has a snapshot of everything through `index` (which it has been given to
   * apply): drop the log up to there. Older indexes than the current snapshot are ignored.
   */
  compact(index: number, data: Uint8Array): void {
    if (!Number.isInteger(index)) throw new RaftUsageError(`snapshot index must be an integer, got ${index}`);
    if (index <= this.log.snapshotIndex) return;
    if (index > this.applied) {
      throw new RaftUsageError(`cannot snapshot through ${index}: only ${this.applied} has been applied`);
    }
    const term = this.log.termAt(index)!;
    const membership = this.configs.at(index);
    this.log.compact({ index, term });
    this.configs.compact(index, membership);
    this.snapshotData = data;
    this.out.writeSnapshot({ index, term, config: membership }, data);
  }

  handleRequestVote(args: RequestVoteArgs, now: number): RequestVoteReply {
    this.lastNow = now;
    // A candidate outside this member's configuration (removed, or not yet added as a voter as
    // far as this member knows) gets no vote and moves no term: a removed member cannot disrupt.
    if (!isVoter(this.configs.latest, args.candidateId))
      return { term: this.currentTerm, voteGranted: false };
    const upToDate = this.isUpToDate(args.lastLogTerm, args.lastLogIndex);
    if (args.preVote) {
      return answerPreVote(args, {
        term: this.currentTerm,
        inLease: this.inLease(now),
        candidateUpToDate: upToDate,
      });
    }
    // Leader stickiness: a live leader is not replaced (a transfer's campaign is invited).
    if (args.term > this.currentTerm && !args.transfer && this.inLease(now)) {
      return { term: this.currentTerm, voteGranted: false };
    }
    this.observeTerm(args.term, now);
    let granted = false;
    if (
      args.term === this.currentTerm &&
      (this.votedFor === null || this.votedFor === args.candidateId) &&
      upToDate
    ) {
      granted = true;
      if (this.votedFor !== args.candidateId) {
        this.votedFor = args.candidateId;
        this.persistHardState();
      }
      this.resetElectionDeadline(now);
    }
    return { term: this.currentTerm, voteGranted: granted };
  }

  handleAppendEntries(args: AppendEntriesArgs<Command>, now: number): AppendEntriesReply {
    this.lastNow = now;
    if (args.term < this.currentTerm) return this.rejectAppend(0, 0);
    this.acceptLeader(args.term, args.leaderId, now);

    let prev = args.prevLogIndex;
    let entries = args.entries;
    if (prev < this.log.snapshotIndex) {
      // Our snapshot covers (committed, hence matching) entries the leader resent: skip them.
      const skip = this.log.snapshotIndex - prev;
      if (skip >= entries.length) return this.acceptAppend(args, prev + entries.length);
      entries = entries.slice(skip);
      prev = this.log.snapshotIndex;
    } else {
      if (prev > this.log.lastIndex) return this.rejectAppend(this.log.lastIndex + 1, 0);
      const term = this.log.termAt(prev)!;
      if (term !== args.prevLogTerm) return this.rejectAppend(this.log.firstIndexOfTermAt(prev), term);
    }

    // Log matching holds through `prev`: skip entries we have, cut at the first conflict.
    for (let i = 0; i < entries.length; i++) {
      const index = prev + 1 + i;
      const entry = entries[i]!;
      if (index <= this.log.lastIndex) {
        if (this.log.termAt(index) === entry.term) continue;
        this.log.truncateFrom(index);
        this.configs.truncateFrom(index); // a configuration that is gone no longer applies
        this.durableIndex = Math.min(this.durableIndex, index - 1); // what was durable there is gone
      }
      const rest = entries.slice(i);
      this.log.append(rest);
      this.out.writeEntries(index, rest);
      rest.forEach((e, k) => {
        const membership = configOf(e);
        if (membership) this.configs.append(index + k, membership);
      });
      break;
    }
    return this.acceptAppend(args, prev + entries.length);
  }

  handleInstallSnapshot(args: InstallSnapshotArgs, now: number): InstallSnapshotReply {
    this.lastNow = now;
    if (args.term < this.currentTerm) return this.snapshotReply(false, 0);
    this.acceptLeader(args.term, args.leaderId, now);
    const meta: SnapshotMeta = { index: args.lastIncludedIndex, term: args.lastIncludedTerm };
    // A snapshot that covers nothing new would move state backwards: ignore it (we hold all it has).
    if (meta.index <= this.commit) {
      this.incomingSnapshot.clear();
      return this.snapshotReply(true, 0);
    }
    const chunk = this.incomingSnapshot.accept(args);
    if ("nextOffset" in chunk) return this.snapshotReply(false, chunk.nextOffset);
    const data = chunk.data;
    const keptSuffix = this.log.compact(meta);
    // The snapshot's configuration (a leader of older code sends none: keep what is in force there).
    const membership = args.config ?? this.configs.at(meta.index);
    if (keptSuffix) this.configs.compact(meta.index, membership);
    else this.configs.reset(meta.index, membership);
    this.snapshotData = data;
    this.out.writeSnapshot({ ...meta, config: membership }, data);
    if (!keptSuffix) {
      this.out.writeEntries(meta.index + 1, []);
      this.durableIndex = Math.min(this.durableIndex, meta.index);
    }
    this.commit = this.applied = meta.index;
    this.out.apply({ kind: "snapshot", index: meta.index, term: meta.term, snapshot: data });
    return this.snapshotReply(true, 0);
  }

  onRequestVoteReply(from: PeerId, args: RequestVoteArgs, reply: RequestVoteReply, now: number): void {
    this.lastNow = now;
    if (args.preVote) {
      this.onPreVoteReply(from, args, reply, now);
      return;
    }
    if (this.observeTerm(reply.term, now)) return;
    if (this.currentRole !== "candidate" || args.term !== this.currentTerm || !reply.voteGranted) return;
    this.votes.add(from);
    if (this.wonVotes()) this.becomeLeader(now);
  }

  onAppendEntriesReply(
    from: PeerId,
    args: AppendEntriesArgs<Command>,
    reply: AppendEntriesReply,
    now: number,
  ): void {
    this.lastNow = now;
    if (this.observeTerm(reply.term, now)) return;
    if (!this.isLeader || args.term !== this.currentTerm || reply.term !== this.currentTerm) return;
    const pr = this.progress.get(from);
    if (!pr) return;
    this.acknowledged(from, args);
    settle(pr, args);
    if (reply.success) this.appendAccepted(pr, args);
    else this.appendRejected(pr, args, reply);
    if (!this.isLeader) return; // its own removal committed: it handed over
    if (reply.success && from === this.transfer?.target) this.sendTimeoutNowIfCaughtUp();
    if (reply.success && this.leftForGood(from, args.leaderCommit)) return;
    if (reply.success && this.configs.latest.autoPromote.includes(from)) this.maybePromote();
    // The window has room again (or a new probe is due): send what is waiting.
    if (pr.mode !== "snapshot" && pr.next <= this.log.lastIndex) this.sendAppend(from, false);
  }

  private appendAccepted(pr: Progress, args: AppendEntriesArgs<Command>): void {
    acknowledge(pr, args.prevLogIndex + args.entries.length);
    // In snapshot mode, a late success that still leaves the follower short of the snapshot
    // changes nothing: the transfer goes on.
    if (pr.mode !== "replicate" && !(pr.mode === "snapshot" && pr.match < this.log.snapshotIndex))
      enterReplicate(pr);
    this.maybeCommit();
  }

  private appendRejected(pr: Progress, args: AppendEntriesArgs<Command>, reply: AppendEntriesReply): void {
    // Ignore stale rejections: in probe mode only the latest probe counts, and the follower has
    // acknowledged everything through `match`, so a rejection at or below it is an old message
    // (answering it again would only resend the same probe, forever).
    if (pr.mode === "snapshot") return;
    if (pr.mode === "probe" && args.prevLogIndex !== pr.next - 1) return;
    if (args.prevLogIndex <= pr.match) return;
    let next = reply.conflictIndex;
    if (reply.conflictTerm > 0) {
      const last = this.log.lastIndexOfTerm(reply.conflictTerm);
      if (last !== undefined) next = last + 1;
    }
    enterProbe(pr, Math.max(pr.match + 1, Math.min(next, args.prevLogIndex)));
  }

  onInstallSnapshotReply(
    from: PeerId,
    args: InstallSnapshotArgs,
    reply: InstallSnapshotReply,
    now: number,
  ): void {
    this.lastNow = now;
    if (this.observeTerm(reply.term, now)) return;
    if (!this.isLeader || args.term !== this.currentTerm || reply.term !== this.currentTerm) return;
    const pr = this.progress.get(from);
    if (!pr) return;
    this.acknowledged(from, args);
    settle(pr, args);
    if (reply.installed) {
      acknowledge(pr, args.lastIncludedIndex);
      if (pr.mode === "snapshot") {
        enterProbe(pr, pr.next);
        this.sendAppend(from, true);
      }
      this.maybeCommit();
      return;
    }
    // The follower wants the next chunk (or to start again): go on if this is still the transfer.
    if (pr.mode !== "snapshot" || args.lastIncludedIndex !== pr.snapshotIndex) return;
    pr.snapshotOffset = reply.nextOffset;
    this.sendSnapshot(from);
  }

  /**
   * A call this member made failed (lost, timed out, unreachable, or too large to send). Its
   * window slot is free again; nothing is resent before the next heartbeat, and a follower that
   * was being replicated to is probed again from what it has acknowledged.
   */
  onCallFailed(message: OutgoingMessage<Command>): void {
    if (message.method === "RequestVote" || !this.isLeader || message.args.term !== this.currentTerm) return;
    const pr = this.progress.get(message.to);
    if (!pr || !settle(pr, message.args)) return;
    if (pr.mode === "replicate") enterProbe(pr, pr.match + 1);
  }

  /**
   * With `explicitDurability`: this member's log is durable through `index` (what it held when the
   * write was issued). A leader may now count its own copy, and commit.
   */
  persisted(index: number): void {
    // Monotonic: a late report of an older write never takes back what a later one made durable.
    if (index <= this.durableIndex) return;
    this.durableIndex = Math.min(index, this.log.lastIndex);
    if (this.isLeader) this.maybeCommit();
  }

  /** Everything produced since the last call (proposals are sent to followers here). */
  takeReady(): Ready<Command> {
    if (this.readRoundPending) {
      this.readRoundPending = false;
      // One heartbeat round confirms every read made since the last one (and sends new entries).
      if (this.isLeader && this.readOnly.size > 0) {
        this.heartbeat(this.lastNow);
        this.proposalsPending = false;
      }
    }
    if (this.proposalsPending) {
      this.proposalsPending = false;
      if (this.isLeader) {
        for (const [peer, pr] of this.progress) {
          if (pr.mode !== "snapshot" && pr.next <= this.log.lastIndex) this.sendAppend(peer, false);
        }
      }
    }
    return this.out.take();
  }

  get hasReady(): boolean {
    return this.proposalsPending || this.readRoundPending || !this.out.isEmpty;
  }

  // ---- elections ---------------------------------------------------------------------------

  /** Pre-vote: asks whether a majority would vote for this member in the next term. */
  private preCampaign(now: number): void {
    this.counts.preVotes++;
    this.currentRole = "pre-candidate";
    this.leader = undefined;
    this.votes = new Set([this.id]);
    this.resetElectionDeadline(now);
    if (this.wonVotes()) {
      this.campaign(now);
      return;
    }
    const args: RequestVoteArgs = {
      term: this.currentTerm + 1,
      candidateId: this.id,
      lastLogIndex: this.log.lastIndex,
      lastLogTerm: this.log.lastTerm,
      preVote: true,
    };
    for (const peer of this.configs.latest.voters) {
      if (peer !== this.id) this.out.send({ to: peer, method: "RequestVote", args });
    }
  }

  private onPreVoteReply(from: PeerId, args: RequestVoteArgs, reply: RequestVoteReply, now: number): void {
    // A refusal may carry a newer term: then this member is behind, and follows.
    if (!reply.voteGranted) {
      this.observeTerm(reply.term, now);
      return;
    }
    if (this.currentRole !== "pre-candidate" || args.term !== this.currentTerm + 1) return;
    this.votes.add(from);
    if (this.wonVotes()) this.campaign(now);
  }

  /** Leader stickiness: a leader, or a member that heard from one within an election timeout. */
  private inLease(now: number): boolean {
    if (!this.config.checkQuorum) return false;
    return this.isLeader || now - this.leaderContactAt < this.config.electionTimeoutMinMs;
  }

  private campaign(now: number, transfer = false): void {
    this.counts.elections++;
    this.currentTerm++;
    this.currentRole = "candidate";
    this.votedFor = this.id;
    this.leader = undefined;
    this.votes = new Set([this.id]);
    this.incomingSnapshot.clear();
    this.persistHardState();
    this.resetElectionDeadline(now);
    if (this.wonVotes()) {
      this.becomeLeader(now);
      return;
    }
    const args: RequestVoteArgs = {
      term: this.currentTerm,
      candidateId: this.id,
      lastLogIndex: this.log.lastIndex,
      lastLogTerm: this.log.lastTerm,
      ...(transfer ? { transfer: true } : {}),
    };
    for (const peer of this.configs.latest.voters) {
      if (peer !== this.id) this.out.send({ to: peer, method: "RequestVote", args });
    }
  }

  /** Whether the votes (or pre-votes) gathered make a majority of the voters in force. */
  private wonVotes(): boolean {
    const { voters } = this.configs.latest;
    let granted = 0;
    for (const voter of voters) if (this.votes.has(voter)) granted++;
    return isMajority(granted, voters.length);
  }

  private becomeLeader(now: number): void {
    this.counts.leaderships++;
    this.currentRole = "leader";
    this.leader = this.id;
    this.votes = new Set();
    this.progress = new Map();
    this.leaving.clear();
    this.adoptConfig();
    this.uncommittedBytes = 0;
    this.firstOwnIndex = this.log.lastIndex + 1;
    this.acks = new LeadershipAcks(this.id);
    if (this.config.checkQuorum) this.checkQuorumTimer.start(now);
    this.timeoutNowSentThisTerm = false;
    // The no-op carries no command: it counts for nothing against the byte limits.
    this.appendOwn(noOpEntry<Command>(this.currentTerm), 0);
    this.heartbeat(now);
  }

  private becomeFollower(now: number): void {
    const wasLeader = this.currentRole === "leader";
    this.currentRole = "follower";
    this.votes = new Set();
    this.progress = new Map();
    this.leaving.clear();
    this.acks = undefined;
    this.checkQuorumTimer.stop();
    if (this.transfer) {
      this.out.transferEnded({ target: this.transfer.target, outcome: "done" });
      this.transfer = undefined;
    }
    for (const lost of this.readOnly.failAll()) this.out.read(lost);
    this.heartbeatDeadline = Number.POSITIVE_INFINITY;
    // A deposed leader's election deadline is stale; give the new leader a full timeout.
    if (wasLeader) this.resetElectionDeadline(now);
  }

  /** Steps down on a higher term. Returns whether it did. */
  private observeTerm(term: number, now: number): boolean {
    if (term <= this.currentTerm) return false;
    this.currentTerm = term;
    this.votedFor = null;
    this.leader = undefined;
    this.persistHardState();
    this.becomeFollower(now);
    return true;
  }

  /** A valid AppendEntries or InstallSnapshot from the leader of `term` (>= ours). */
  private acceptLeader(term: number, leaderId: PeerId, now: number): void {
    this.observeTerm(term, now);
    if (this.currentRole !== "follower") this.becomeFollower(now);
    this.leader = leaderId;
    this.leaderContactAt = now;
    this.resetElectionDeadline(now);
  }

  private isUpToDate(lastTerm: number, lastIndex: number): boolean {
    const myTerm = this.log.lastTerm;
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.log.lastIndex);
  }

  private resetElectionDeadline(now: number): void {
    const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = this.config;
    this.electionDeadline = now + min + this.random.int(Math.max(1, Math.floor(max - min)));
  }

  // ---- replication -------------------------------------------------------------------------

  private heartbeat(now: number): void {
    this.heartbeatDeadline = now + this.config.heartbeatIntervalMs;
    this.sendTimeoutNowIfCaughtUp(); // again, in case the last one was lost
    for (const [peer, pr] of this.progress) {
      // A snapshot chunk unanswered: only keep the follower's election timer quiet.
      if (pr.mode === "snapshot" && !this.mayRelease(pr)) this.sendHeartbeatOnly(peer, pr);
      else this.sendAppend(peer, true);
    }
  }

  private mayRelease(pr: Progress): boolean {
    return canSend(pr, this.config.maxInflightMessages, this.config.maxInflightBytes);
  }

  /**
   * Sends the follower what it needs from `next` on, as far as flow control allows: batches of
   * entries capped by count and bytes (in replicate mode until the window is full), or the next
   * snapshot chunk when they are compacted. `evenIfEmpty` makes it a heartbeat when nothing is new.
   */
  private sendAppend(peer: PeerId, evenIfEmpty: boolean): void {
    const pr = this.progress.get(peer)!;
    if (pr.mode === "snapshot" || pr.next <= this.log.snapshotIndex) {
      this.sendSnapshot(peer);
      return;
    }
    const { maxEntriesPerMessage, maxMessageBytes } = this.config;
    for (;;) {
      const prevLogIndex = pr.next - 1;
      // Blocked by flow control: an empty message still probes, and keeps the follower quiet.
      const batch = this.mayRelease(pr)
        ? this.log.batch(pr.next, maxEntriesPerMessage, maxMessageBytes)
        : { entries: [], bytes: 0 };
      if (batch.entries.length === 0 && !evenIfEmpty) return;
      const args: AppendEntriesArgs<Command> = {
        term: this.currentTerm,
        leaderId: this.id,
        prevLogIndex,
        prevLogTerm: this.log.termAt(prevLogIndex)!,
        entries: batch.entries,
        leaderCommit: this.commit,
      };
      this.sendToFollower({ to: peer, method: "AppendEntries", args });
      if (batch.entries.length === 0) return;
      track(pr, args, batch.bytes);
      if (pr.mode !== "replicate") return;
      pr.next = prevLogIndex + batch.entries.length + 1;
      if (pr.next > this.log.lastIndex) return;
      evenIfEmpty = false;
    }
  }

  /** Sends the next chunk of the current snapshot, one call at a time; starts over for a new one. */
  private sendSnapshot(peer: PeerId): void {
    const pr = this.progress.get(peer)!;
    if (pr.mode !== "snapshot" || pr.snapshotIndex !== this.log.snapshotIndex)
      enterSnapshot(pr, this.log.snapshotIndex);
    if (!this.mayRelease(pr)) return;
    const total = this.snapshotData.length;
    const offset = pr.snapshotOffset <= total ? pr.snapshotOffset : 0;
    const data = this.snapshotData.subarray(offset, offset + this.config.maxMessageBytes);
    const args: InstallSnapshotArgs = {
      term: this.currentTerm,
      leaderId: this.id,
      lastIncludedIndex: this.log.snapshotIndex,
      lastIncludedTerm: this.log.snapshotTerm,
      config: this.configs.at(this.log.snapshotIndex),
      offset,
      data,
      done: offset + data.length >= total,
    };
    this.sendToFollower({ to: peer, method: "InstallSnapshot", args });
    track(pr, args, data.length);
  }

  /**
   * An empty AppendEntries at a point the follower is known to hold (or the snapshot's end):
   * it keeps the follower from starting an election and carries the commit index, nothing else.
   */
  private sendHeartbeatOnly(peer: PeerId, pr: Progress): void {
    const prevLogIndex = Math.max(pr.match, this.log.snapshotIndex);
    this.sendToFollower({
      to: peer,
      method: "AppendEntries",
      args: {
        term: this.currentTerm,
        leaderId: this.id,
        prevLogIndex,
        prevLogTerm: this.log.termAt(prevLogIndex)!,
        entries: [],
        leaderCommit: this.commit,
      },
    });
  }

  /** Sends a leader's message, stamped so that its reply acknowledges this leadership. */
  private sendToFollower(message: OutgoingMessage<Command>): void {
    this.acks?.stamp(message.args, this.lastNow);
    this.out.send(message);
  }

  /** Commits the highest index a quorum holds, if it is from the current term (Figure 8). */
  private maybeCommit(): void {
    // The voters in force count, the leader among them only if it is one (it may be removing itself).
    const matches = this.configs.latest.voters.map((peer) =>
      peer === this.id ? this.ownMatch() : (this.progress.get(peer)?.match ?? 0),
    );
    const candidate = majorityValue(matches);
    if (candidate > this.commit && this.log.termAt(candidate) === this.currentTerm) {
      for (let index = Math.max(this.commit + 1, this.firstOwnIndex); index <= candidate; index++)
        this.uncommittedBytes -= this.log.bytesAt(index);
      this.commit = candidate;
      this.emitApplies();
      this.confirmReads();
      this.configCommitted();
    }
  }

  // ---- membership (leader side) -------------------------------------------------------------

  /**
   * Leader: makes the progress table follow the configuration in force: new members are probed
   * from the end of the log; removed ones stay (as `leaving`) until they learn the change committed.
   */
  private adoptConfig(): void {
    const members = membersOf(this.configs.latest).filter((id) => id !== this.id);
    for (const id of members) {
      this.leaving.delete(id);
      if (!this.progress.has(id)) this.progress.set(id, freshProgress(this.log.lastIndex));
    }
    for (const id of this.progress.keys()) {
      if (!members.includes(id) && !this.leaving.has(id))
        this.leaving.set(id, { index: this.configs.latestIndex, deadline: Number.POSITIVE_INFINITY });
    }
  }

  /** Leader, after its commit index moved: what a committed configuration change sets off. */
  private configCommitted(): void {
    if (this.configs.latestIndex > this.commit) return;
    const deadline = this.lastNow + this.config.electionTimeoutMinMs;
    for (const gone of this.leaving.values())
      if (gone.deadline === Number.POSITIVE_INFINITY) gone.deadline = deadline;
    if (!isVoter(this.configs.latest, this.id)) {
      this.handOver();
      return;
    }
    this.maybePromote();
  }

  /**
   * This leader's own removal committed: it tells the most up-to-date voter to campaign at once
   * (TimeoutNow, as a leadership transfer does), and steps down.
   */
  private handOver(): void {
    const successor = this.bestSuccessor();
    if (successor !== undefined) {
      this.timeoutNowSentThisTerm = true;
      this.out.send({
        to: successor,
        method: "TimeoutNow",
        args: { term: this.currentTerm, leaderId: this.id },
      });
    }
    // Members must hear the commit index that covers the change: one last round.
    this.heartbeat(this.lastNow);
    this.leader = undefined;
    this.becomeFollower(this.lastNow);
  }

  /** Leader: promotes the first auto-promoting learner that has caught up, if no change is pending. */
  private maybePromote(): void {
    if (!this.isLeader || this.transfer || this.configs.latestIndex > this.commit) return;
    if (!this.committedOwnTerm()) return;
    const ready = this.configs.latest.autoPromote.find((id) => this.caughtUp(id));
    if (ready === undefined) return;
    const next = applyChange(this.configs.latest, { kind: "promote", id: ready });
    if (typeof next !== "string") this.appendConfig(next);
  }

  /**
   * A member the configuration removed acknowledged a commit index covering its removal: it
   * knows, and stops; the leader forgets it. Returns whether it did.
   */
  private leftForGood(from: PeerId, leaderCommit: number): boolean {
    const gone = this.leaving.get(from);
    if (!gone || leaderCommit < gone.index) return false;
    this.leaving.delete(from);
    this.progress.delete(from);
    return true;
  }

  private dropLeavingPastDeadline(now: number): void {
    for (const [id, gone] of this.leaving) {
      if (now < gone.deadline) continue;
      this.leaving.delete(id);
      this.progress.delete(id);
    }
  }

  /** `from` answered `message` in this leader's term: it still recognises this leadership. */
  private acknowledged(from: PeerId, message: object): void {
    this.acks?.acknowledge(from, message);
    this.confirmReads();
  }

  /** Hands out the reads a majority has confirmed, once this term's no-op is committed. */
  private confirmReads(): void {
    if (!this.acks || this.readOnly.size === 0) return;
    if (this.log.termAt(this.commit) !== this.currentTerm) return;
    const confirmed = this.acks.confirmedSeq(this.configs.latest.voters);
    for (const read of this.readOnly.confirm(confirmed, this.commit)) this.out.read(read);
  }

  /** How much of its own log the leader may count toward a quorum. */
  private ownMatch(): number {
    return this.explicitDurability ? Math.min(this.durableIndex, this.log.lastIndex) : this.log.lastIndex;
  }

  private acceptAppend(args: AppendEntriesArgs<Command>, lastNew: number): AppendEntriesReply {
    const target = Math.min(args.leaderCommit, lastNew);
    if (target > this.commit) {
      this.commit = target;
      this.emitApplies();
    }
    return { term: this.currentTerm, success: true, conflictIndex: 0, conflictTerm: 0 };
  }

  private snapshotReply(installed: boolean, nextOffset: number): InstallSnapshotReply {
    return { term: this.currentTerm, installed, nextOffset };
  }

  private rejectAppend(conflictIndex: number, conflictTerm: number): AppendEntriesReply {
    return { term: this.currentTerm, success: false, conflictIndex, conflictTerm };
  }

  private emitApplies(): void {
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

  private persistHardState(): void {
    this.out.setHardState({ term: this.currentTerm, votedFor: this.votedFor });
  }
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
