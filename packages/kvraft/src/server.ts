import {
  type KvCommand,
  KvStateMachine,
  MalformedCommandError,
  malformedResult,
  parseKvRequest,
} from "@raftkit/kvsrv";
import {
  type ApplyMsg,
  type Clock,
  type PeerId,
  type Persister,
  type RaftConfig,
  RaftNode,
  type RaftStorage,
  type Random,
  type Timer,
  type Transport,
} from "@raftkit/raft";
import { KvRaftConfigError } from "./errors.js";
import { PendingRequests } from "./pending.js";
import { KV_METHOD_LIST, type KvRaftReply, opOfMethod, TIMEOUT, WRONG_LEADER } from "./protocol.js";
import { ReadIndexReads } from "./read-index.js";
import { SnapshotPolicy } from "./snapshot-policy.js";

export interface KvRaftServerOptions {
  /** This server's raft id, in [0, peerCount). */
  id: PeerId;
  /** Number of servers; raft peers are 0 .. peerCount-1 on `transport`. */
  peerCount: number;
  /** Raft's transport to the other servers. Servers talk to each other only through raft. */
  transport: Transport;
  /** Raft's durable state; its `raftStateSize()` drives snapshots. */
  persister: RaftStorage<KvCommand> & Pick<Persister, "raftStateSize">;
  clock: Clock;
  random: Random;
  /**
   * Snapshot when the persisted raft state nears this many bytes, so raft can discard its log;
   * -1 (the default) never snapshots.
   */
  maxRaftState?: number;
  /**
   * How long a leader waits for a request to commit before answering `timeout` (the client
   * then tries elsewhere; a leader cut off from a majority never commits). Default 1000 ms.
   */
  requestTimeoutMs?: number;
  /**
   * How a Get is made linearizable. `"log"` (the default): it becomes a log entry like a write.
   * `"read-index"`: a leader that has committed an entry of its term serves it from its state
   * machine once a majority has answered an AppendEntries sent after the Get arrived and the
   * state machine has applied the commit index of that moment — no log entry, but it waits
   * for raft's next replication or heartbeat round.
   */
  reads?: "log" | "read-index";
  /** Raft timing (heartbeats, election timeouts). */
  raftConfig?: Partial<RaftConfig>;
  /** Errors raft cannot attribute to a caller (default: rethrown, see RaftNode). */
  onError?: (error: unknown) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 1000;

/**
 * One replica of the key/value service. A request becomes a raft log entry; once raft commits
 * it, every replica applies it to its KvStateMachine in log order, and the replica that took
 * the request answers it with the result. Gets go through the log too, so a leader that has
 * lost its majority can never answer one with stale data. Writes carry the client's id
 * and sequence number, so a retried request executes once however many times it is logged.
 */
export class KvRaftServer {
  /** The raft member under this server (the lab tester asks it who leads). */
  readonly raft: RaftNode<KvCommand>;
  private readonly machine = new KvStateMachine({ appendReturnsOldValue: false });
  private readonly pending = new PendingRequests();
  private readonly clock: Clock;
  private readonly requestTimeoutMs: number;
  /** How often a leader with waiting requests checks whether it still leads. */
  private readonly checkIntervalMs: number;
  private readonly snapshots: SnapshotPolicy | undefined;
  private readonly reads: ReadIndexReads | undefined;
  /**
   * The newest write (Put/Append/Delete) each client has in this leader's log, not yet applied: a retry of it
   * (the client gave up on a slow reply) waits for that entry instead of logging it again.
   */
  private readonly inflight = new Map<string, { seq: number; index: number; term: number }>();
  private lastApplied = 0;
  /** The term of the entry at `lastApplied` (of the snapshot's last entry after a restore). */
  private lastAppliedTerm = 0;
  private checkTimer: Timer | undefined;
  private dead = false;

  constructor(options: KvRaftServerOptions) {
    const maxRaftState = options.maxRaftState ?? -1;
    if (!Number.isInteger(maxRaftState) || (maxRaftState < 1 && maxRaftState !== -1)) {
      throw new KvRaftConfigError(`maxRaftState must be -1 or a positive integer, got ${maxRaftState}`);
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(this.requestTimeoutMs > 0)) {
      throw new KvRaftConfigError(`requestTimeoutMs must be positive, got ${this.requestTimeoutMs}`);
    }
    this.clock = options.clock;
    this.checkIntervalMs = options.raftConfig?.heartbeatIntervalMs ?? 100;
    const persister = options.persister;
    this.snapshots =
      maxRaftState > 0 ? new SnapshotPolicy(maxRaftState, () => persister.raftStateSize()) : undefined;
    const reads = options.reads ?? "log";
    if (reads !== "log" && reads !== "read-index") {
      throw new KvRaftConfigError(`reads must be "log" or "read-index", got ${String(reads)}`);
    }
    this.reads =
      reads === "read-index"
        ? new ReadIndexReads(
            options.peerCount,
            () => this.lastApplied,
            (key) => this.machine.getResult(key),
          )
        : undefined;
    this.raft = new RaftNode<KvCommand>({
      id: options.id,
      peerCount: options.peerCount,
      transport: this.reads ? this.reads.observe(options.transport) : options.transport,
      storage: persister,
      clock: options.clock,
      random: options.random,
      onApply: (message) => this.onApply(message),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.raftConfig ? { config: options.raftConfig } : {}),
    });
  }

  /**
   * Answers one client request: `method` is one of kvsrv's `KV_METHODS`, `args` the untrusted
   * RPC arguments. Resolves once the request has been applied, or with `wrong-leader` /
   * `timeout` when the client should retry.
   */
  handle(method: string, args: unknown): KvRaftReply | Promise<KvRaftReply> {
    if (this.dead) return WRONG_LEADER;
    const op = opOfMethod(method);
    if (op === undefined) return { status: "unknown-method", method, methods: KV_METHOD_LIST };
    let command: KvCommand;
    try {
      command = parseKvRequest(op, args);
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
    if (command.op === "get") {
      if (this.reads) {
        const { term, isLeader } = this.raft.getState();
        if (!isLeader) return WRONG_LEADER;
        // Until an entry of its term commits, a new leader's commit index may be behind: then
        // the Get goes through the log, which also commits such an entry.
        if (this.lastAppliedTerm === term) {
          const reply = this.reads.wait(
            command.key,
            term,
            this.raft.commitIndex,
            this.clock.now() + this.requestTimeoutMs,
          );
          this.armCheck();
          return reply;
        }
      }
      // A Get needs no session: it changes nothing, so executing it twice is harmless.
      command = { op: "get", key: command.key };
    } else {
      const entry = this.inflight.get(command.clientId);
      if (entry && entry.seq === command.seq && entry.index > this.lastApplied) {
        const { term, isLeader } = this.raft.getState();
        // Same leader, same term: the entry is still in the log and will commit or be lost.
        if (isLeader && term === entry.term) return this.waitFor(entry.index, entry.term);
      }
    }
    const { index, term, isLeader } = this.raft.start(command);
    if (!isLeader) return WRONG_LEADER;
    if (command.op !== "get") this.inflight.set(command.clientId, { seq: command.seq, index, term });
    return this.waitFor(index, term);
  }

  private waitFor(index: number, term: number): Promise<KvRaftReply> {
    const reply = this.pending.wait(index, term, this.clock.now() + this.requestTimeoutMs);
    this.armCheck();
    return reply;
  }

  /** Serves client requests arriving on `transport` (not raft's: that one is raft's alone). */
  listen(transport: Pick<Transport, "listen">): this {
    transport.listen((method, args) => this.handle(method, args));
    return this;
  }

  /** Stops raft and answers every waiting request `wrong-leader`. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.checkTimer?.cancel();
    this.checkTimer = undefined;
    this.raft.kill();
    this.pending.settleAll(WRONG_LEADER);
    this.inflight.clear();
    this.reads?.settleWhere(
      () => true,
      () => WRONG_LEADER,
    );
  }

  get killed(): boolean {
    return this.dead;
  }

  /** The highest log index applied to this replica's state machine. */
  get appliedIndex(): number {
    return this.lastApplied;
  }

  /** Requests waiting for their entry to apply (or, for ReadIndex Gets, for confirmation). */
  get pendingRequests(): number {
    return this.pending.size + (this.reads?.size ?? 0);
  }

  // ---- applying --------------------------------------------------------------------------

  private onApply(message: ApplyMsg<KvCommand>): void {
    if (this.dead || message.index <= this.lastApplied) return;
    if (message.kind === "snapshot") {
      this.machine.restore(message.snapshot);
      this.lastApplied = message.index;
      this.lastAppliedTerm = message.term;
      this.pending.supersededThrough(message.index, WRONG_LEADER);
      this.reads?.serveReady();
      this.snapshots?.snapshotted();
      return;
    }
    if (message.index !== this.lastApplied + 1) {
      throw new Error(`raft applied index ${message.index} after ${this.lastApplied}`);
    }
    const result = this.machine.apply(message.command, message.index);
    this.lastApplied = message.index;
    this.lastAppliedTerm = message.term;
    if (this.inflight.size > 0) this.forgetInflight(message.command, message.index);
    // Answered through promises: the reply leaves as soon as this apply batch is done.
    this.pending.applied(message.index, message.term, result, WRONG_LEADER);
    this.reads?.serveReady();
    if (this.snapshots?.afterApply(message.command)) {
      this.raft.snapshot(message.index, this.machine.snapshot());
      this.snapshots.snapshotted();
    }
  }

  private forgetInflight(command: unknown, index: number): void {
    const clientId =
      typeof command === "object" && command !== null
        ? (command as { clientId?: unknown }).clientId
        : undefined;
    if (typeof clientId === "string" && this.inflight.get(clientId)?.index === index) {
      this.inflight.delete(clientId);
    }
  }

  // ---- noticing lost leadership ----------------------------------------------------------

  /** While requests wait, checks every heartbeat interval that this server still leads. */
  private armCheck(): void {
    if (this.checkTimer || this.dead) return;
    this.checkTimer = this.clock.setTimer(this.checkIntervalMs, () => {
      this.checkTimer = undefined;
      if (this.dead) return;
      const { term, isLeader } = this.raft.getState();
      const now = this.clock.now();
      // A new term means our entries may be gone; past the deadline, a majority may be gone.
      const stale = (w: { term: number; deadline: number }) =>
        !isLeader || w.term !== term || now >= w.deadline;
      const verdict = (w: { term: number }) => (!isLeader || w.term !== term ? WRONG_LEADER : TIMEOUT);
      this.pending.settleWhere(stale, verdict);
      this.reads?.settleWhere(stale, verdict);
      if (!isLeader) this.inflight.clear();
      if (this.pendingRequests > 0) this.armCheck();
    });
  }
}
