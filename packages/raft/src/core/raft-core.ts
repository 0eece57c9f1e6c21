import { type RaftConfig, resolveConfig } from "../config.js";
import { RaftConfigError, RaftUsageError } from "../errors.js";
import type { PeerId, Random } from "../interfaces.js";
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  RequestVoteArgs,
  RequestVoteReply,
} from "../messages.js";
import type { HardState, LogEntry, RaftState, Role, SnapshotMeta, StartResult } from "../types.js";
import { RaftLog } from "./log.js";
import { acknowledge, freshProgress, type Progress } from "./progress.js";
import { type Ready, ReadyBuilder } from "./ready.js";

/** Durable state to start from (what a persister loaded), or nothing for a brand new member. */
export interface CoreInitialState<Command = unknown> {
  readonly hardState: HardState;
  readonly snapshot?: { readonly meta: SnapshotMeta; readonly data: Uint8Array } | undefined;
  /** The entries after the snapshot, in order. */
  readonly entries: readonly LogEntry<Command>[];
}

export interface CoreOptions<Command = unknown> {
  /** This member's id, in [0, peerCount). */
  id: PeerId;
  /** Cluster size; members are 0 .. peerCount-1. */
  peerCount: number;
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
  readonly peerCount: number;
  private readonly explicitDurability: boolean;
  /** With explicit durability: this member's log is durable through here. */
  private durableIndex = 0;
  readonly config: Readonly<RaftConfig>;
  private readonly random: Random;
  private readonly quorum: number;
  private readonly log: RaftLog<Command>;
  private readonly out = new ReadyBuilder<Command>();

  private currentTerm = 0;
  private votedFor: PeerId | null = null;
  private currentRole: Role = "follower";
  private leader: PeerId | undefined;
  private snapshotData: Uint8Array = new Uint8Array(0);
  private commit = 0;
  /** Highest index handed out in `applies` (commands or snapshot). */
  private applied = 0;
  private votes = new Set<PeerId>();
  private progress: Progress[] = [];
  private electionDeadline = 0;
  private heartbeatDeadline = Number.POSITIVE_INFINITY;
  /** Proposals since the last takeReady() that followers have not been sent yet. */
  private proposalsPending = false;
  /** The latest time any input carried, for bookkeeping in paths that have none (proposals). */
  private lastNow: number;

  constructor(options: CoreOptions<Command>) {
    const { id, peerCount } = options;
    this.explicitDurability = options.explicitDurability ?? false;
    if (!Number.isInteger(peerCount) || peerCount < 1)
      throw new RaftConfigError(`bad peerCount ${peerCount}`);
    if (!Number.isInteger(id) || id < 0 || id >= peerCount) throw new RaftConfigError(`bad id ${id}`);
    this.id = id;
    this.peerCount = peerCount;
    this.quorum = Math.floor(peerCount / 2) + 1;
    this.config = resolveConfig(options.config);
    this.random = options.random;
    const initial = options.initial;
    this.log = new RaftLog(initial?.snapshot?.meta, initial ? [...initial.entries] : []);
    this.durableIndex = this.log.lastIndex; // loaded from storage: durable
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

  /** The time at which `tick` has something to do (an election or a heartbeat). */
  nextWakeup(): number {
    return this.isLeader ? this.heartbeatDeadline : this.electionDeadline;
  }

  // ---- inputs ------------------------------------------------------------------------------

  /** Advances timers: starts an election or sends heartbeats when their time has come. */
  tick(now: number): void {
    this.lastNow = now;
    if (this.isLeader) {
      if (now >= this.heartbeatDeadline) this.heartbeat(now);
    } else if (now >= this.electionDeadline) {
      this.campaign(now);
    }
  }

  /**
   * Appends a command if this member is the leader. Followers are sent it at the next
   * `takeReady()`, together with every other proposal made before it.
   */
  propose(command: Command): StartResult {
    if (!this.isLeader) return { index: -1, term: this.currentTerm, isLeader: false };
    const entry: LogEntry<Command> = { term: this.currentTerm, command };
    const index = this.log.lastIndex + 1;
    this.log.append([entry]);
    this.out.writeEntries(index, [entry]);
    this.proposalsPending = true;
    if (this.peerCount === 1) this.maybeCommit();
    return { index, term: this.currentTerm, isLeader: true };
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
    this.log.compact({ index, term });
    this.snapshotData = data;
    this.out.writeSnapshot({ index, term }, data);
  }

  handleRequestVote(args: RequestVoteArgs, now: number): RequestVoteReply {
    this.lastNow = now;
    this.observeTerm(args.term, now);
    let granted = false;
    if (
      args.term === this.currentTerm &&
      (this.votedFor === null || this.votedFor === args.candidateId) &&
      this.isUpToDate(args.lastLogTerm, args.lastLogIndex)
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
        this.durableIndex = Math.min(this.durableIndex, index - 1); // what was durable there is gone
      }
      const rest = entries.slice(i);
      this.log.append(rest);
      this.out.writeEntries(index, rest);
      break;
    }
    return this.acceptAppend(args, prev + entries.length);
  }

  handleInstallSnapshot(args: InstallSnapshotArgs, now: number): InstallSnapshotReply {
    this.lastNow = now;
    if (args.term < this.currentTerm) return { term: this.currentTerm };
    this.acceptLeader(args.term, args.leaderId, now);
    const meta: SnapshotMeta = { index: args.lastIncludedIndex, term: args.lastIncludedTerm };
    // A snapshot that covers nothing new would move state backwards: ignore it.
    if (meta.index <= this.commit) return { term: this.currentTerm };
    const keptSuffix = this.log.compact(meta);
    this.snapshotData = args.data;
    this.out.writeSnapshot(meta, args.data);
    if (!keptSuffix) {
      this.out.writeEntries(meta.index + 1, []);
      this.durableIndex = Math.min(this.durableIndex, meta.index);
    }
    this.commit = this.applied = meta.index;
    this.out.apply({ kind: "snapshot", index: meta.index, term: meta.term, snapshot: args.data });
    return { term: this.currentTerm };
  }

  onRequestVoteReply(from: PeerId, args: RequestVoteArgs, reply: RequestVoteReply, now: number): void {
    this.lastNow = now;
    if (this.observeTerm(reply.term, now)) return;
    if (this.currentRole !== "candidate" || args.term !== this.currentTerm || !reply.voteGranted) return;
    this.votes.add(from);
    if (this.votes.size >= this.quorum) this.becomeLeader(now);
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
    const pr = this.progress[from];
    if (!pr) return;
    if (reply.success) {
      acknowledge(pr, args.prevLogIndex + args.entries.length);
      pr.mode = "replicate";
      pr.paused = false;
      this.maybeCommit();
      if (pr.next <= this.log.lastIndex) this.sendAppend(from, false);
      return;
    }
    // A rejection. Ignore stale ones: in probe mode only the outstanding probe counts, and the
    // follower has acknowledged everything through `match`, so a rejection at or below it is an
    // old message (answering it again would only resend the same probe, forever).
    if (pr.mode === "snapshot") return;
    if (pr.mode === "probe" && args.prevLogIndex !== pr.next - 1) return;
    if (args.prevLogIndex <= pr.match) return;
    let next = reply.conflictIndex;
    if (reply.conflictTerm > 0) {
      const last = this.log.lastIndexOfTerm(reply.conflictTerm);
      if (last !== undefined) next = last + 1;
    }
    pr.next = Math.max(pr.match + 1, Math.min(next, args.prevLogIndex));
    pr.mode = "probe";
    pr.paused = false;
    this.sendAppend(from, true);
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
    const pr = this.progress[from];
    if (!pr) return;
    acknowledge(pr, args.lastIncludedIndex);
    if (pr.mode === "snapshot") {
      pr.mode = "probe";
      pr.paused = false;
      this.sendAppend(from, true);
    }
    this.maybeCommit();
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
    if (this.proposalsPending) {
      this.proposalsPending = false;
      if (this.isLeader) {
        for (let peer = 0; peer < this.peerCount; peer++) {
          const pr = this.progress[peer];
          if (peer !== this.id && pr && !pr.paused && pr.next <= this.log.lastIndex)
            this.sendAppend(peer, false);
        }
      }
    }
    return this.out.take();
  }

  get hasReady(): boolean {
    return this.proposalsPending || !this.out.isEmpty;
  }

  // ---- elections ---------------------------------------------------------------------------

  private campaign(now: number): void {
    this.currentTerm++;
    this.currentRole = "candidate";
    this.votedFor = this.id;
    this.leader = undefined;
    this.votes = new Set([this.id]);
    this.persistHardState();
    this.resetElectionDeadline(now);
    if (this.votes.size >= this.quorum) {
      this.becomeLeader(now);
      return;
    }
    const args: RequestVoteArgs = {
      term: this.currentTerm,
      candidateId: this.id,
      lastLogIndex: this.log.lastIndex,
      lastLogTerm: this.log.lastTerm,
    };
    for (let peer = 0; peer < this.peerCount; peer++) {
      if (peer !== this.id) this.out.send({ to: peer, method: "RequestVote", args });
    }
  }

  private becomeLeader(now: number): void {
    this.currentRole = "leader";
    this.leader = this.id;
    this.votes = new Set();
    this.progress = [];
    for (let peer = 0; peer < this.peerCount; peer++) this.progress.push(freshProgress(this.log.lastIndex));
    this.heartbeat(now);
  }

  private becomeFollower(now: number): void {
    const wasLeader = this.currentRole === "leader";
    this.currentRole = "follower";
    this.votes = new Set();
    this.progress = [];
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
    for (let peer = 0; peer < this.peerCount; peer++) {
      const pr = this.progress[peer];
      if (peer === this.id || !pr) continue;
      if (pr.mode === "snapshot" && now - pr.snapshotSentAt < 5 * this.config.heartbeatIntervalMs) {
        this.sendHeartbeatOnly(peer);
        continue;
      }
      pr.paused = false;
      this.sendAppend(peer, true);
    }
  }

  /**
   * Sends the follower what it needs from `next` on: entries (up to the batch limit), or the
   * snapshot when they are compacted. `evenIfEmpty` makes it a heartbeat when nothing is new.
   */
  private sendAppend(peer: PeerId, evenIfEmpty: boolean): void {
    const pr = this.progress[peer]!;
    if (pr.next <= this.log.snapshotIndex) {
      this.sendSnapshot(peer);
      return;
    }
    const prevLogIndex = pr.next - 1;
    const entries = this.log.slice(pr.next, this.config.maxEntriesPerMessage);
    if (entries.length === 0 && !evenIfEmpty) return;
    this.out.send({
      to: peer,
      method: "AppendEntries",
      args: {
        term: this.currentTerm,
        leaderId: this.id,
        prevLogIndex,
        prevLogTerm: this.log.termAt(prevLogIndex)!,
        entries,
        leaderCommit: this.commit,
      },
    });
    if (pr.mode === "replicate") pr.next = prevLogIndex + entries.length + 1;
    else pr.paused = true;
  }

  private sendSnapshot(peer: PeerId): void {
    const pr = this.progress[peer]!;
    pr.mode = "snapshot";
    pr.paused = true;
    pr.snapshotSentAt = this.lastNow;
    this.out.send({
      to: peer,
      method: "InstallSnapshot",
      args: {
        term: this.currentTerm,
        leaderId: this.id,
        lastIncludedIndex: this.log.snapshotIndex,
        lastIncludedTerm: this.log.snapshotTerm,
        data: this.snapshotData,
      },
    });
  }

  /** Keeps a follower that awaits a snapshot from starting an election, without resending it. */
  private sendHeartbeatOnly(peer: PeerId): void {
    this.out.send({
      to: peer,
      method: "AppendEntries",
      args: {
        term: this.currentTerm,
        leaderId: this.id,
        prevLogIndex: this.log.snapshotIndex,
        prevLogTerm: this.log.snapshotTerm,
        entries: [],
        leaderCommit: this.commit,
      },
    });
  }

  /** Commits the highest index a quorum holds, if it is from the current term (Figure 8). */
  private maybeCommit(): void {
    const matches: number[] = [];
    for (let peer = 0; peer < this.peerCount; peer++) {
      matches.push(peer === this.id ? this.ownMatch() : (this.progress[peer]?.match ?? 0));
    }
    matches.sort((a, b) => b - a);
    const candidate = matches[this.quorum - 1]!;
    if (candidate > this.commit && this.log.termAt(candidate) === this.currentTerm) {
      this.commit = candidate;
      this.emitApplies();
    }
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

  private rejectAppend(conflictIndex: number, conflictTerm: number): AppendEntriesReply {
    return { term: this.currentTerm, success: false, conflictIndex, conflictTerm };
  }

  private emitApplies(): void {
    for (let index = this.applied + 1; index <= this.commit; index++) {
      const entry = this.log.entry(index);
      this.out.apply({ kind: "command", index, term: entry.term, command: entry.command });
    }
    this.applied = this.commit;
  }

  private persistHardState(): void {
    this.out.setHardState({ term: this.currentTerm, votedFor: this.votedFor });
  }
}
