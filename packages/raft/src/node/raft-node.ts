import type { RaftConfig } from "../config.js";
import type { Membership, MembershipChange } from "../core/membership.js";
import { RaftCore } from "../core/raft-core.js";
import type { Ready } from "../core/ready.js";
import { AbortedError, NotLeaderError, RaftUsageError } from "../errors.js";
import type { Clock, PeerId, Random, Timer, Transport } from "../interfaces.js";
import type { OutgoingMessage, RaftMethod } from "../messages.js";
import { wireCopy } from "../storage/codec.js";
import type { Durability, RaftStorage } from "../storage/storage.js";
import type { ApplyMsg, RaftState, Role, StartResult } from "../types.js";
import { ApplyQueue } from "./apply-queue.js";
import { deliverReply, handleRequest } from "./dispatch.js";
import { type RaftNodeEventMap, TypedEventTarget } from "./events.js";
import { countSent, countWrite, emptyMetrics, type RaftMetrics } from "./metrics.js";
import { type ChangeCommitted, PendingChanges } from "./pending-changes.js";
import { PendingReads } from "./pending-reads.js";
import { PendingTransfers } from "./pending-transfers.js";

export interface RaftNodeOptions<Command = unknown> {
  /** This member's id: a non-negative integer, stable for the life of its storage. */
  id: PeerId;
  /**
   * A new cluster's voters by id, the same list on every founding member; `[]` starts a member
   * that joins an existing cluster (a leader adds it with `changeMembership`). Once the log or a
   * snapshot holds a configuration, that is used instead. Default: 0 .. peerCount-1.
   */
  members?: readonly PeerId[];
  /** Shorthand for `members: [0 .. peerCount-1]`. */
  peerCount?: number;
  transport: Transport;
  storage: RaftStorage<Command>;
  clock: Clock;
  random: Random;
  /**
   * Receives committed commands and snapshots, in log order, one at a time (a returned Promise
   * holds back the next). It may call `snapshot()` or `start()` on this node. If it throws (or
   * its Promise rejects) the node stops: the replica can no longer follow the log, and skipping
   * the entry would make it diverge. To go on past a failing command, catch inside `onApply`.
   */
  onApply: (message: ApplyMsg<Command>) => void | Promise<void>;
  /**
   * Called with errors raft cannot attribute to a caller: the consumer threw (the node then
   * stops), storage failed (the node then stops: it can no longer promise durability), the
   * transport rejected. Default: the node stops and the error is rethrown
   * asynchronously (an uncaught exception), so a bug is never silent.
   */
  onError?: (error: unknown) => void;
  config?: Partial<RaftConfig>;
}

/** The reply a stopped node gives: term 0 makes every sender ignore it. */
const STOPPED_REPLY = Object.freeze({
  term: 0,
  voteGranted: false,
  success: false,
  conflictIndex: 0,
  conflictTerm: 0,
});

/**
 * A raft member: drives a `RaftCore` with I/O. Incoming requests, replies, timers, proposals
 * and snapshots go into the core; each batch of its output is made durable through `storage`
 * first, then its messages are sent through `transport` and its committed entries handed to
 * `onApply`. Proposals made in the same turn of the event loop share one write and one
 * AppendEntries per follower. Role, term and leader changes are dispatched as events
 * (`RaftNodeEventMap`).
 */
export class RaftNode<Command = unknown> extends TypedEventTarget<RaftNodeEventMap> {
  private readonly core: RaftCore<Command>;
  private readonly transport: Transport;
  private readonly storage: RaftStorage<Command>;
  private readonly clock: Clock;
  private readonly applyQueue: ApplyQueue<ApplyMsg<Command>>;
  private readonly reportError: (error: unknown) => void;
  private dead = false;
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private processScheduled = false;
  /** Completes when every batch written so far is durable and released. */
  private durableTail: Promise<void> | undefined;
  private readonly reads = new PendingReads();
  private readonly transfers = new PendingTransfers();
  private readonly changes = new PendingChanges();
  readonly #metrics: RaftMetrics = emptyMetrics();
  /** The commit index the metrics have counted through. */
  #countedCommit = 0;
  /** What the last events reported, to dispatch only changes. */
  private seen: { term: number; role: Role; leaderId: PeerId | undefined; membership: Membership };

  constructor(options: RaftNodeOptions<Command>) {
    super();
    this.transport = options.transport;
    this.storage = options.storage;
    this.clock = options.clock;
    this.reportError = options.onError ?? ((error) => this.crashLoudly(error));
    this.applyQueue = new ApplyQueue(options.onApply, (error) => this.fail(error));
    this.core = new RaftCore<Command>({
      id: options.id,
      ...(options.members === undefined ? {} : { members: options.members }),
      ...(options.peerCount === undefined ? {} : { peerCount: options.peerCount }),
      random: options.random,
      now: this.clock.now(),
      config: options.config,
      initial: this.storage.load(),
      explicitDurability: true,
    });
    const { term, role, leaderId, membership } = this.core;
    this.seen = { term, role, leaderId, membership };
    this.transport.listen((method, args) => this.handleRequest(method, args));
    // Not synchronously: the caller may not hold the node yet when the first snapshot arrives.
    this.scheduleProcess();
  }

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
      this.#metrics.proposalsRefused++;
      return { index: -1, term: this.core.term, isLeader: false };
    }
    const copy = wireCopy(command);
    const result = this.core.propose(copy.command, copy.bytes);
    if (result.isLeader) {
      this.#metrics.proposals++;
      this.scheduleProcess();
    } else {
      this.#metrics.proposalsRefused++;
    }
    return result;
  }

  /**
   * Counters a monitoring system reads (elections, proposals, commits, messages and bytes per
   * method, snapshots sent, storage latency): a live object, read it whenever you like.
   */
  get metrics(): Readonly<RaftMetrics> {
    Object.assign(this.#metrics, this.core.counts);
    return this.#metrics;
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
   * `LeadershipLostError` when it loses leadership first, `AbortedError` when `signal` aborts, and
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
    this.#metrics.transfers++;
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
   * unknown member), `LeadershipLostError` (this member stopped leading first: the outcome is
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
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.reads.failAll(new NotLeaderError(undefined, "this member was stopped"));
    this.transfers.failAll(new NotLeaderError(undefined, "this member was stopped"));
    this.changes.failAll(new NotLeaderError(undefined, "this member was stopped"));
    this.timer?.cancel();
    this.timer = undefined;
    this.applyQueue.stop();
    void this.transport.close?.();
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

  // ---- driving the core --------------------------------------------------------------------

  private handleRequest(method: string, args: unknown): unknown {
    if (this.dead) return STOPPED_REPLY;
    const now = this.clock.now();
    if (method in this.#metrics.messagesReceived) this.#metrics.messagesReceived[method as RaftMethod]++;
    const reply = handleRequest(this.core, method, args, now);
    // Persist before replying: the reply promises what the write makes durable. A write that
    // failed (now or in an earlier batch this one waited for) stopped the node: never answer.
    const pending = this.process();
    if (this.dead) return STOPPED_REPLY;
    return pending ? pending.then(() => (this.dead ? STOPPED_REPLY : reply)) : reply;
  }

  private scheduleProcess(): void {
    if (this.processScheduled) return;
    this.processScheduled = true;
    queueMicrotask(() => {
      this.processScheduled = false;
      this.process();
    });
  }

  /**
   * Takes the core's output and acts on it: write, then (once durable) send and apply. Returns
   * a Promise only when something is still waiting for durability.
   */
  private process(): Promise<void> | undefined {
    if (this.dead) return undefined;
    const ready = this.core.takeReady();
    if (this.core.commitIndex > this.#countedCommit) {
      this.#metrics.commits += this.core.commitIndex - this.#countedCommit;
      this.#countedCommit = this.core.commitIndex;
    }
    for (const read of ready.reads) this.reads.settle(read);
    for (const ended of ready.transfers) this.transfers.settle(ended);
    this.changes.settle(this.core);
    // The storage will hold the log through here once this batch's writes are durable.
    const through = this.core.lastIndex;
    let durable: Promise<void> | undefined;
    try {
      durable = this.write(ready);
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    this.rearmTimer();
    this.dispatchChanges();
    // A leader's AppendEntries need not wait for its own write: followers write meanwhile, and
    // the core counts the leader's copy only once `persisted` says so. Votes and replies wait.
    const waiting = ready.messages.filter((message) => message.method !== "AppendEntries");
    for (const message of ready.messages) if (message.method === "AppendEntries") this.send(message);
    if (!durable && !this.durableTail) {
      this.release(ready, waiting, through);
      return undefined;
    }
    // Batches are released in the order they were written. A failure of this batch is handled
    // in that chain, which reaches it only once the batches before it are durable: mark it
    // handled now, or Node calls it unhandled meanwhile and ends the process.
    durable?.catch(() => {});
    const before = this.durableTail;
    const done = (before ? before.then(() => durable) : (durable as Promise<void>)).then(
      () => this.release(ready, waiting, through),
      (error: unknown) => this.fail(error),
    );
    this.durableTail = done;
    void done.then(() => {
      if (this.durableTail === done) this.durableTail = undefined;
    });
    return done;
  }

  private write(ready: Ready<Command>): Promise<void> | undefined {
    const pending: Promise<void>[] = [];
    const track = (durability: Durability) => {
      if (durability) pending.push(durability);
    };
    if (ready.hardState) track(this.storage.saveHardState(ready.hardState));
    for (const op of ready.writes) {
      if (op.kind === "entries") track(this.storage.appendEntries(op.from, op.entries));
      else track(this.storage.saveSnapshot(op.meta, op.data));
    }
    if (pending.length === 0) {
      if (ready.hardState || ready.writes.length > 0) countWrite(this.#metrics, 0); // durable at once
      return undefined;
    }
    const started = this.clock.now();
    const durable = pending.length === 1 ? pending[0]! : Promise.all(pending).then(() => undefined);
    return durable.then(() => countWrite(this.#metrics, this.clock.now() - started));
  }

  private release(
    ready: Ready<Command>,
    messages: readonly OutgoingMessage<Command>[],
    through: number,
  ): void {
    if (this.dead) return;
    for (const message of messages) this.send(message);
    if (ready.applies.length > 0) this.applyQueue.push(ready.applies);
    this.core.persisted(through);
    if (this.core.removed) {
      this.stopRemoved();
      return;
    }
    if (this.core.hasReady) this.scheduleProcess();
  }

  /**
   * A committed configuration removed this member: it tells (the `removed` event), then stops,
   * so that it neither campaigns nor answers for a cluster it is no longer part of.
   */
  private stopRemoved(): void {
    this.emit("removed", { membership: this.core.membership, term: this.core.term });
    this.kill();
  }

  private send(message: OutgoingMessage<Command>): void {
    countSent(this.#metrics, message);
    this.transport.call(message.to, message.method, message.args).then(
      (result) => {
        if (this.dead) return;
        if (result.ok) this.onReply(message, result.reply);
        else {
          this.#metrics.sendFailures[message.method]++;
          this.callFailed(message);
        }
      },
      (error: unknown) => {
        if (this.dead) return;
        this.callFailed(message);
        this.reportError(error);
      },
    );
  }

  /** Every call settles: with a reply, or here (so that flow control frees its window slot). */
  private callFailed(message: OutgoingMessage<Command>): void {
    this.core.onCallFailed(message);
    if (this.core.hasReady) this.scheduleProcess();
  }

  private onReply(message: OutgoingMessage<Command>, reply: unknown): void {
    // A malformed reply counts as a failed call.
    if (!deliverReply(this.core, message, reply, this.clock.now())) {
      this.callFailed(message);
      return;
    }
    if (this.core.hasReady) this.scheduleProcess();
    else this.rearmTimer();
  }

  /** Dispatches `term`, `role` and `leader` events for what changed since the last call. */
  private dispatchChanges(): void {
    const { term, role, leaderId, membership } = this.core;
    const seen = this.seen;
    if (
      term === seen.term &&
      role === seen.role &&
      leaderId === seen.leaderId &&
      membership === seen.membership
    )
      return;
    this.seen = { term, role, leaderId, membership };
    if (term !== seen.term) this.emit("term", { term });
    if (role !== seen.role) this.emit("role", { role, term });
    if (leaderId !== seen.leaderId) this.emit("leader", { leaderId, term });
    if (membership !== seen.membership)
      this.emit("membership", { membership, index: this.core.membershipIndex, term });
  }

  private rearmTimer(): void {
    if (this.dead) return;
    const at = this.core.nextWakeup();
    // An earlier timer still pending will re-check when it fires; keep it.
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(at - this.clock.now(), () => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      if (this.dead) return;
      this.core.tick(this.clock.now());
      this.process();
    });
  }

  /**
   * A write or an apply failed: the core already acts on state that is not durable, or the
   * service can no longer follow the log, so this member must not answer, send or apply anything
   * more. It stops; the error goes to `onError`.
   */
  private fail(error: unknown): void {
    if (this.dead) return;
    this.kill();
    this.reportError(error);
  }

  private crashLoudly(error: unknown): void {
    this.kill();
    queueMicrotask(() => {
      throw error;
    });
  }
}
