import {
  type ApplyMsg,
  type Clock,
  ProposalTooLargeError,
  LeadershipLostError as RaftLeadershipLostError,
  RaftNode,
  NotLeaderError as RaftNotLeaderError,
  TypedEventTarget,
  UncommittedLimitError,
} from "@raftkit/raft";
import { abortable, throwIfAborted, withTimeout } from "./abort.js";
import {
  NotLeaderError,
  OverloadedError,
  ServiceClosedError,
  ServiceConfigError,
  SubmitTimeoutError,
  ValueTooLargeError,
} from "./errors.js";
import { RoleChangeEvent, type ServiceEventMap, SnapshotEvent } from "./events.js";
import {
  type CallOptions,
  type ReplicatedServiceOptions,
  type ResolvedLimits,
  resolveLimits,
  type Session,
} from "./options.js";
import { AppliedWaits } from "./replica/applied-waits.js";
import { Applier } from "./replica/applier.js";
import { entries, type ServiceEntry } from "./replica/entry.js";
import { InflightRequests } from "./replica/inflight.js";
import { type Leadership, LeadershipWatch } from "./replica/leadership.js";
import { SessionTable } from "./replica/sessions.js";
import { approximateSize, checkCommandSize } from "./replica/size.js";
import { SnapshotPolicy } from "./replica/snapshot-policy.js";
import { Waiters } from "./replica/waiters.js";

/**
 * One replica of a replicated service: a RaftNode and the user's state machine, with everything
 * between a caller and a committed result — waiters keyed by (index, term), leadership events,
 * timeouts, linearizable reads, exactly-once sessions decided from the log and a snapshot policy.
 */
export class ReplicatedService<
  Command,
  Result,
  Query = never,
  Answer = never,
> extends TypedEventTarget<ServiceEventMap> {
  /** The raft member underneath. */
  readonly node: RaftNode<ServiceEntry<Command>>;
  readonly #options: ReplicatedServiceOptions<Command, Result, Query, Answer>;
  readonly #limits: ResolvedLimits;
  readonly #clock: Clock;
  readonly #applier: Applier<Command, Result>;
  readonly #sessions: SessionTable;
  readonly #policy: SnapshotPolicy;
  readonly #waiters = new Waiters();
  readonly #reads = new AppliedWaits();
  readonly #watch: LeadershipWatch;
  readonly #inflight = new InflightRequests();
  #closed = false;

  constructor(options: ReplicatedServiceOptions<Command, Result, Query, Answer>) {
    super();
    this.#options = options;
    this.#limits = resolveLimits(options as ReplicatedServiceOptions<unknown, unknown, unknown, unknown>);
    this.#clock = options.clock;
    this.#sessions = new SessionTable(this.#limits.maxSessions);
    this.#applier = new Applier(options.stateMachine, this.#sessions);
    const storage = options.storage;
    this.#policy = new SnapshotPolicy(
      options.snapshot ?? {},
      storage.raftStateSize && (() => storage.raftStateSize!()),
    );
    this.node = new RaftNode<ServiceEntry<Command>>({
      id: options.id,
      ...(options.peerCount === undefined ? {} : { peerCount: options.peerCount }),
      ...(options.members === undefined ? {} : { members: options.members }),
      transport: options.transport,
      storage,
      clock: options.clock,
      random: options.random,
      onApply: (message) => this.#onApply(message),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.raftConfig ? { config: options.raftConfig } : {}),
    });
    this.#watch = new LeadershipWatch(this.node as RaftNode<unknown>, (now) => this.#leadershipChanged(now));
  }

  /** This replica's id, role, term and the leader it knows of. */
  get leadership(): Leadership {
    return this.#watch.poke();
  }

  /** The highest log index applied to the state machine here. */
  get appliedIndex(): number {
    return this.#applier.lastApplied;
  }

  /** The term of the entry at `appliedIndex` (equal to the current term once this leader's first entry applied). */
  get appliedTerm(): number {
    return this.#applier.lastAppliedTerm;
  }

  /** Proposals and reads waiting here (for tests and metrics). */
  get pending(): number {
    return this.#waiters.size + this.#reads.size;
  }

  /** Client sessions held (bounded by `maxSessions`). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** The cluster name requests are checked against, if any. */
  get cluster(): string | undefined {
    return this.#options.cluster;
  }

  /**
   * Proposes `command` and resolves with what the state machine's `apply` returned for it, once
   * it is committed and applied here. With `session`, the command executes at most once however
   * often it is submitted (a retry resolves with the first execution's result). With `request`
   * instead (a state machine that deduplicates on its own), a retry that finds the same request
   * still in this leader's log waits for that entry rather than logging it again.
   *
   * Rejects with NotLeaderError (nothing was proposed; `leaderId` hints where to go),
   * LeadershipLostError, SubmitTimeoutError, the signal's reason, ValueTooLargeError (not
   * proposed), OverloadedError (not proposed: too much waits for a quorum, retry shortly),
   * SessionExpiredError or SupersededError. On LeadershipLost, timeout or abort the
   * outcome is unknown: the command may still take effect, at most once with a session.
   */
  submit(
    command: Command,
    options: CallOptions & { session?: Session; request?: Session } = {},
  ): Promise<Result> {
    const { session } = options;
    const request = session ?? options.request;
    const entry = session
      ? entries.session(session.sessionId, session.seq, command)
      : entries.command(command);
    return this.#call(options, () => {
      checkCommandSize(command, this.#limits.maxCommandBytes);
      if (request) {
        const prior = this.#inflight.get(request.sessionId);
        const lead = this.#watch.poke();
        // The same request still in this leader's log: wait for that entry rather than log it twice.
        if (
          prior?.seq === request.seq &&
          prior.index > this.appliedIndex &&
          lead.role === "leader" &&
          lead.term === prior.term
        ) {
          return this.#waiters.wait(prior.index, prior.term);
        }
      }
      return this.#propose(entry, request?.sessionId, request?.seq);
    }) as Promise<Result>;
  }

  /**
   * Opens a client session and resolves with its id — the log index of the entry that opened it
   * (Raft thesis §6.3): unique for the cluster's life, and a few bytes in every request and log
   * entry where a client-made id would take twenty. Needed before a `submit` with that session.
   * Rejects like `submit`; a session opened by a call that then failed is never used and ages out.
   */
  openSession(options: CallOptions = {}): Promise<number> {
    return this.#call(options, () => this.#propose(entries.open())) as Promise<number>;
  }

  /**
   * Answers `query` with the state machine's `query`, linearizably, the way the `reads` option
   * says: by raft's ReadIndex (no log write), by the leader's lease, or through a no-op log entry.
   * Rejects like `submit`; a read has no effect, so it can always be retried.
   */
  read(query: Query, options: CallOptions = {}): Promise<Answer> {
    const machine = this.#options.stateMachine;
    if (!machine.query)
      return Promise.reject(new ServiceConfigError("read() needs a state machine with query()"));
    // Aborted when the call fails (timeout, abort, ...): raft then forgets the read it waits on.
    const ended = new AbortController();
    const answer = this.#call(options, async () => {
      // Through the log, the barrier's own apply proves this replica is up to date.
      if (this.#limits.reads === "log") await this.#propose(entries.barrier());
      else await this.#reads.until(await this.#confirmRead(ended.signal));
      return machine.query!(query);
    });
    answer.catch(() => ended.abort());
    return answer;
  }

  /** Stops raft and rejects everything waiting with ServiceClosedError. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#watch.close();
    this.node.kill();
    const closed = new ServiceClosedError("this replica");
    this.#waiters.failAll(closed);
    this.#reads.failAll(closed);
    this.#inflight.clear();
    return Promise.resolve();
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ---- calls ---------------------------------------------------------------------------------

  #call<T>(options: CallOptions, body: () => Promise<T>): Promise<T> {
    try {
      if (this.#closed) throw new ServiceClosedError("this replica");
      throwIfAborted(options.signal);
      const lead = this.#watch.poke();
      if (lead.role !== "leader") throw new NotLeaderError(lead.leaderId);
      const timeoutMs = options.timeoutMs ?? this.#limits.timeoutMs;
      const result = withTimeout(body(), this.#clock, timeoutMs, () => new SubmitTimeoutError(timeoutMs));
      return abortable(result, options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #propose(entry: ServiceEntry<Command>, sessionId?: number, seq?: number): Promise<unknown> {
    const { index, term, isLeader } = this.#start(entry);
    if (!isLeader) throw new NotLeaderError(this.node.leaderId);
    if (sessionId !== undefined && seq !== undefined) this.#inflight.set(sessionId, { seq, index, term });
    return this.#waiters.wait(index, term);
  }

  /**
   * raft's start(), its refusals told as this layer's: an oversized entry (a client gives up at
   * once; `maxCommandBytes` refuses first, so this is only a backstop),
   * and flow control's (a client backs off and retries).
   */
  #start(entry: ServiceEntry<Command>): ReturnType<RaftNode<ServiceEntry<Command>>["start"]> {
    try {
      return this.node.start(entry);
    } catch (error) {
      if (error instanceof ProposalTooLargeError) throw new ValueTooLargeError(error.bytes, error.limitBytes);
      if (error instanceof UncommittedLimitError)
        throw new OverloadedError(error.uncommittedBytes, error.limitBytes);
      throw error;
    }
  }

  /**
   * raft's readIndex() (by lease when `reads` is "lease"), its refusals told as this layer's: a
   * read has no effect, retry elsewhere. `signal` lets raft forget a read whose call has ended.
   */
  async #confirmRead(signal: AbortSignal): Promise<number> {
    try {
      return await this.node.readIndex({ signal, lease: this.#limits.reads === "lease" });
    } catch (error) {
      if (error instanceof RaftNotLeaderError || error instanceof RaftLeadershipLostError)
        throw new NotLeaderError(this.node.leaderId);
      throw error;
    }
  }

  // ---- applying ------------------------------------------------------------------------------

  #onApply(message: ApplyMsg<ServiceEntry<Command>>): void {
    if (this.#closed || message.index <= this.#applier.lastApplied) return;
    if (message.kind === "snapshot") {
      this.#applier.restore(message);
      this.#waiters.supersededThrough(message.index);
      this.#inflight.clear();
      this.#policy.snapshotted();
      this.#reads.applied(message.index);
      this.#options.onApplied?.(message.index);
      this.dispatchEvent(
        new SnapshotEvent("installed", message.index, message.term, message.snapshot.byteLength),
      );
      return;
    }
    if (message.kind === "noop" || message.kind === "config") {
      // A new leader's no-op or a membership change: a proposal that had this index was displaced by it.
      this.#applier.skipNoOp(message);
      this.#waiters.supersededThrough(message.index);
      this.#reads.applied(message.index);
      return;
    }
    const outcome = this.#applier.applyEntry(message);
    const entry = message.command;
    this.#inflight.applied(message.index);
    this.#waiters.applied(message.index, message.term, outcome);
    this.#reads.applied(message.index);
    this.#options.onApplied?.(message.index);
    if (this.#policy.enabled && this.#policy.afterApply(approximateSize(entry))) this.#takeSnapshot(message);
  }

  #takeSnapshot(message: { index: number; term: number }): void {
    const bytes = this.#applier.snapshot();
    this.node.snapshot(message.index, bytes);
    this.#policy.snapshotted();
    this.dispatchEvent(new SnapshotEvent("taken", message.index, message.term, bytes.byteLength));
  }

  #leadershipChanged(now: Leadership): void {
    this.#waiters.leading(now.role === "leader" ? now.term : undefined);
    if (now.role !== "leader") this.#inflight.clear();
    this.dispatchEvent(new RoleChangeEvent(now.role, now.term, now.leaderId));
  }
}
