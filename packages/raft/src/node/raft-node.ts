import type { Membership, MembershipChange } from "../core/membership.js";
import { AbortedError, NotLeaderError, RaftUsageError } from "../errors.js";
import type { PeerId } from "../interfaces.js";
import { wireCopy } from "../storage/codec.js";
import type { RaftState, Role, StartResult } from "../types.js";
import type { RaftMetrics } from "./metrics.js";
import { NodeDriver } from "./node-driver.js";
import type { ChangeCommitted } from "./pending-changes.js";

export type { RaftNodeOptions } from "./node-options.js";

/**
 * A raft member: drives a `RaftCore` with I/O. Incoming requests, replies, timers, proposals
 * and snapshots go into the core; each batch of its output is made durable through `storage`
 * first, then its messages are sent through `transport` and its committed entries handed to
 * `onApply`. Proposals made in the same turn of the event loop share one write and one
 * AppendEntries per follower. Role, term and leader changes are dispatched as events
 * (`RaftNodeEventMap`).
 */
export class RaftNode<Command = unknown> extends NodeDriver<Command> {
  // ---- the lab-style facade ----------------------------------------------------------------

  /**
   * Proposes a command. Returns at once with the index it will have if committed, the current
   * term, and whether this member is the leader (if not, nothing was proposed). Every replica,
   * this one included, applies the command as decoded from its wire encoding. Throws (nothing
   * proposed) UnencodableCommandError when it cannot be encoded, ProposalTooLargeError when its
   * encoding exceeds `maxProposalBytes`, and UncommittedLimitError (retry later) while
   * `maxUncommittedBytes` of proposals wait for a quorum.
   */
  start(command: Command): StartResult {
    if (this.dead || !this.core.isLeader) {
      this.counters.proposalsRefused++;
      return { index: -1, term: this.core.term, isLeader: false };
    }
    const copy = wireCopy(command);
    const result = this.core.propose(copy.command, copy.bytes);
    if (result.isLeader) {
      this.counters.proposals++;
      this.scheduleProcess();
    } else {
      this.counters.proposalsRefused++;
    }
    return result;
  }

  /**
   * Counters a monitoring system reads (elections, proposals, commits, messages and bytes per
   * method, snapshots sent, storage latency): a live object, read it whenever you like.
   */
  get metrics(): Readonly<RaftMetrics> {
    Object.assign(this.counters, this.core.counts);
    return this.counters;
  }

  /** Term and leadership; a stopped node is never the leader, whatever its core last was. */
  getState(): RaftState {
    return this.dead ? { term: this.core.term, isLeader: false } : this.core.state();
  }

  /**
   * The service has saved everything through `index` (already applied) in `data`: raft stores
   * the snapshot and discards the log up to there.
   */
  snapshot(index: number, data: Uint8Array): void {
    if (this.dead) return;
    this.core.compact(index, data);
    this.process();
  }

  /**
   * Resolves with an index at which a linearizable read may be served: once this member's state
   * machine has applied through it, its state reflects every write that completed before the
   * call. It resolves after a majority acknowledged a heartbeat sent after the call (one goes
   * out at once; reads made together share it) and once the leader has committed its term's
   * no-op. Nothing is written to the log.
   *
   * With `lease: true` the leader answers at once, without a round, while its lease holds
   * (a majority acknowledged a heartbeat less than electionTimeoutMinMs - maxClockDriftMs ago);
   * this needs `checkQuorum` and trusts the drift bound.
   *
   * Rejects with `NotLeaderError` (carrying a leader hint) when this member is not the leader,
   * `LeadershipLostError` when it loses leadership first (without check-quorum also when no
   * majority replied within an election timeout: the leader goes on, but a read waits at most
   * two election timeouts), `AbortedError` when `signal` aborts, and
   * `RaftUsageError` for a lease read without check-quorum.
   */
  readIndex(options: { signal?: AbortSignal; lease?: boolean } = {}): Promise<number> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortedError("readIndex()", signal.reason));
    if (this.dead) return Promise.reject(new NotLeaderError(undefined, "this member is stopped"));
    if (options.lease && !this.core.config.checkQuorum) {
      return Promise.reject(
        new RaftUsageError("lease reads need checkQuorum: turn it on or read without lease"),
      );
    }
    const id = this.reads.nextId();
    const waiting = this.reads.wait(id, signal);
    const now = this.clock.now();
    if (!(options.lease ? this.core.leaseRead(id, now) : this.core.readIndex(id, now))) {
      this.reads.settleNotLeader(id, this.core.leaderId);
      return waiting;
    }
    this.scheduleProcess();
    return waiting;
  }

  /**
   * Hands leadership to member `to` (default: the follower with the most of the log). Proposals
   * are refused meanwhile (`start` answers isLeader: false); the target is brought up to date,
   * then told to campaign at once. Resolves with the target once this member has stepped down
   * for the newer term — normally within a few round trips. Rejects with
   * `LeadershipTransferError` if that has not happened within one election timeout (this member
   * then goes on leading), `NotLeaderError` when it is not the leader, `AbortedError` on `signal`
   * (the transfer itself still runs to its end), `RaftUsageError` for a bad target.
   */
  transferLeadership(to?: PeerId, options: { signal?: AbortSignal } = {}): Promise<PeerId> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortedError("transferLeadership()", signal.reason));
    if (this.dead) return Promise.reject(new NotLeaderError(undefined, "this member is stopped"));
    let target: PeerId | undefined;
    try {
      target = this.core.transferLeadership(to, this.clock.now());
    } catch (error) {
      return Promise.reject(error);
    }
    if (target === undefined) return Promise.reject(new NotLeaderError(this.core.leaderId));
    this.counters.transfers++;
    const moved = this.transfers.wait(target, signal); // before sending: a network may answer at once
    this.process();
    return moved;
  }

  /**
   * Changes the cluster's membership by one member (the leader only): `add-learner` (a new member
   * that receives the log without voting; with `autoPromote` the leader makes it a voter once it
   * has caught up), `promote` (a caught-up learner becomes a voter), `remove` (a voter or a
   * learner; removing this leader makes it hand over to the most up-to-date voter once the
   * change commits). Resolves when the change is committed, with the configuration it set.
   * Rejects with `NotLeaderError` (leader hint), `MembershipChangePendingError` (retryable:
   * another change is in flight, this leader has not committed an entry of its term yet, or the
   * learner is still catching up), `MembershipChangeError` (the change makes no sense: say an
   * unknown member), `MemberIdRemovedError` (adding an id a change removed: ids are never
   * reused), `LeadershipLostError` (this member stopped leading first: the outcome is
   * unknown, read `membership` on the new leader) and `AbortedError` on `signal`.
   */
  changeMembership(
    change: MembershipChange,
    options: { signal?: AbortSignal } = {},
  ): Promise<ChangeCommitted> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortedError("membership change", signal.reason));
    if (this.dead) return Promise.reject(new NotLeaderError(undefined, "this member is stopped"));
    let started: StartResult;
    try {
      started = this.core.changeMembership(change, this.clock.now());
    } catch (error) {
      return Promise.reject(error);
    }
    if (!started.isLeader) return Promise.reject(new NotLeaderError(this.core.leaderId));
    const waiting = this.changes.wait({ ...started, membership: this.core.membership }, signal);
    this.scheduleProcess();
    return waiting;
  }

  /** The configuration in force on this member (the latest in its log, committed or not). */
  get membership(): Membership {
    return this.core.membership;
  }

  /** Stops timers, message handling and deliveries. In-flight writes are abandoned. */
  override kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.reads.failAll(new NotLeaderError(undefined, "this member was stopped"));
    this.transfers.failAll(new NotLeaderError(undefined, "this member was stopped"));
    this.changes.failAll(new NotLeaderError(undefined, "this member was stopped"));
    this.stopDriving();
  }

  get killed(): boolean {
    return this.dead;
  }

  // ---- observers ---------------------------------------------------------------------------

  get id(): PeerId {
    return this.core.id;
  }

  get role(): Role {
    return this.dead ? "follower" : this.core.role;
  }

  get leaderId(): PeerId | undefined {
    return this.core.leaderId;
  }

  get commitIndex(): number {
    return this.core.commitIndex;
  }

  get lastIndex(): number {
    return this.core.lastIndex;
  }
}
