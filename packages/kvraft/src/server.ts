import {
  type KvCommand,
  type KvOk,
  type KvResult,
  KvStateMachine,
  MalformedCommandError,
  malformedResult,
  parseKvRequest,
} from "@raftkit/kvsrv";
import type {
  Clock,
  PeerId,
  Persister,
  RaftConfig,
  RaftNode,
  RaftStorage,
  Random,
  Transport,
} from "@raftkit/raft";
import {
  ReplicatedService,
  type ServiceEntry,
  ServiceError,
  ValueTooLargeError,
  withTimeout,
} from "@raftkit/service";
import { KvRaftConfigError } from "./errors.js";
import { KV_METHOD_LIST, type KvRaftReply, opOfMethod, TIMEOUT, WRONG_LEADER } from "./protocol.js";
import { ReadIndexReads } from "./read-index.js";

/** What a KvRaftServer keeps in raft's log: kvsrv's commands in the service layer's entries. */
export type KvRaftEntry = ServiceEntry<KvCommand>;

export interface KvRaftServerOptions {
  /** This server's raft id, in [0, peerCount). */
  id: PeerId;
  /** Number of servers; raft peers are 0 .. peerCount-1 on `transport`. */
  peerCount: number;
  /** Raft's transport to the other servers. Servers talk to each other only through raft. */
  transport: Transport;
  /** Raft's durable state; its `raftStateSize()` drives snapshots. */
  persister: RaftStorage<KvRaftEntry> & Pick<Persister, "raftStateSize">;
  clock: Clock;
  random: Random;
  /**
   * Snapshot when the persisted raft state nears this many bytes, so raft can discard its log;
   * -1 (the default) never snapshots.
   */
  maxRaftState?: number;
  /** A write whose command encodes larger is answered `too-large` and not logged (default: the service's, 32 MiB). */
  maxCommandBytes?: number;
  /** How long a leader waits for a request to commit before answering `timeout`. Default 1000 ms. */
  requestTimeoutMs?: number;
  /**
   * How a Get is made linearizable. `"log"` (the default): through the log, like a write.
   * `"read-index"`: a leader that has committed an entry of its term serves it from its state
   * machine once a majority has answered an AppendEntries sent after the Get arrived and the
   * state machine has applied the commit index of that moment — no log entry.
   */
  reads?: "log" | "read-index";
  /** Raft timing (heartbeats, election timeouts). */
  raftConfig?: Partial<RaftConfig>;
  /** Errors raft cannot attribute to a caller (default: rethrown, see RaftNode). */
  onError?: (error: unknown) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 1000;

/**
 * One replica of the key/value service: kvsrv's KvStateMachine (data and exactly-once client
 * sessions) replicated by a ReplicatedService from @raftkit/service, which does the waiting,
 * the leadership checks, the timeouts and the snapshots. This class only speaks the key/value
 * wire protocol: it turns requests into commands and the layer's errors into replies.
 */
export class KvRaftServer {
  /** The replicated service underneath. */
  readonly service: ReplicatedService<KvCommand, KvResult, string, KvOk>;
  readonly #machine = new KvStateMachine({ appendReturnsOldValue: false });
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #reads: ReadIndexReads | undefined;
  #dead = false;

  constructor(options: KvRaftServerOptions) {
    const maxRaftState = options.maxRaftState ?? -1;
    if (!Number.isInteger(maxRaftState) || (maxRaftState < 1 && maxRaftState !== -1)) {
      throw new KvRaftConfigError(`maxRaftState must be -1 or a positive integer, got ${maxRaftState}`);
    }
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) {
      throw new KvRaftConfigError(`requestTimeoutMs must be positive, got ${this.#timeoutMs}`);
    }
    const reads = options.reads ?? "log";
    if (reads !== "log" && reads !== "read-index") {
      throw new KvRaftConfigError(`reads must be "log" or "read-index", got ${String(reads)}`);
    }
    this.#clock = options.clock;
    this.#reads =
      reads === "read-index"
        ? new ReadIndexReads(
            options.peerCount,
            () => this.service.appliedIndex,
            (key) => this.#machine.getResult(key),
          )
        : undefined;
    this.service = new ReplicatedService({
      id: options.id,
      peerCount: options.peerCount,
      transport: this.#reads ? this.#reads.observe(options.transport) : options.transport,
      storage: options.persister,
      stateMachine: this.#machine,
      clock: options.clock,
      random: options.random,
      timeoutMs: this.#timeoutMs,
      reads: "log",
      ...(options.maxCommandBytes === undefined ? {} : { maxCommandBytes: options.maxCommandBytes }),
      ...(maxRaftState > 0 ? { snapshot: { maxLogBytes: maxRaftState } } : {}),
      ...(this.#reads ? { onApplied: () => this.#reads?.serveReady() } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.raftConfig ? { raftConfig: options.raftConfig } : {}),
    });
    if (this.#reads) this.service.addEventListener("role", (event) => this.#leadershipChanged(event.term));
  }

  /** The raft member under this server (the lab tester asks it who leads). */
  get raft(): RaftNode<KvRaftEntry> {
    return this.service.node;
  }

  /**
   * Answers one client request: `method` is one of kvsrv's `KV_METHODS`, `args` the untrusted
   * RPC arguments. Resolves once the request has been applied, or with `wrong-leader` /
   * `timeout` when the client should retry.
   */
  handle(method: string, args: unknown): KvRaftReply | Promise<KvRaftReply> {
    if (this.#dead) return WRONG_LEADER;
    const op = opOfMethod(method);
    if (op === undefined) return { status: "unknown-method", method, methods: KV_METHOD_LIST };
    let command: KvCommand;
    try {
      command = parseKvRequest(op, args);
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
    if (command.op !== "get") {
      // The state machine's own sessions execute each write once; `request` keeps a retry that
      // finds its write still in this leader's log from logging it again.
      const request = { clientId: command.clientId, seq: command.seq };
      return replyOf(this.service.submit(command, { request }));
    }
    const { term, isLeader } = this.raft.getState();
    if (!isLeader) return WRONG_LEADER;
    // Until an entry of its term applies, a new leader's commit index may be behind: then the
    // Get goes through the log, which also commits such an entry.
    if (this.#reads && this.service.appliedTerm === term) return this.#readIndexGet(command.key, term);
    return replyOf(this.service.read(command.key));
  }

  /** Serves client requests arriving on `transport` (not raft's: that one is raft's alone). */
  listen(transport: Pick<Transport, "listen">): this {
    transport.listen((method, args) => this.handle(method, args));
    return this;
  }

  /** Stops raft and answers every waiting request `wrong-leader`. */
  kill(): void {
    if (this.#dead) return;
    this.#dead = true;
    void this.service.close();
    this.#reads?.settleWhere(
      () => true,
      () => WRONG_LEADER,
    );
  }

  get killed(): boolean {
    return this.#dead;
  }

  /** The highest log index applied to this replica's state machine. */
  get appliedIndex(): number {
    return this.service.appliedIndex;
  }

  /** Requests waiting for their entry to apply (or, for ReadIndex Gets, for confirmation). */
  get pendingRequests(): number {
    return this.service.pending + (this.#reads?.size ?? 0);
  }

  #readIndexGet(key: string, term: number): Promise<KvRaftReply> {
    const reads = this.#reads!;
    const deadline = this.#clock.now() + this.#timeoutMs;
    const reply = reads.wait(key, term, this.raft.commitIndex, deadline);
    return withTimeout(reply, this.#clock, this.#timeoutMs, () => new Error("timeout")).catch(() => {
      reads.settleWhere(
        (r) => r.deadline <= this.#clock.now(),
        () => TIMEOUT,
      );
      return TIMEOUT;
    });
  }

  /** ReadIndex Gets of an earlier term can no longer be confirmed: the client retries elsewhere. */
  #leadershipChanged(term: number): void {
    const leading = this.raft.getState().isLeader;
    this.#reads?.settleWhere(
      (r) => !leading || r.term !== term,
      () => WRONG_LEADER,
    );
  }
}

/**
 * The reply for a submit or read: its result; `timeout` or `wrong-leader` (retry elsewhere) for
 * the layer's errors; `too-large` (naming the size and the limit) for a command never logged.
 */
function replyOf(result: Promise<KvResult>): Promise<KvRaftReply> {
  return result.catch((error: unknown) => {
    if (error instanceof ValueTooLargeError) {
      const { sizeBytes, limitBytes, message } = error;
      return { status: "too-large", sizeBytes, limitBytes, message };
    }
    if (!(error instanceof ServiceError)) throw error;
    return error.code === "TIMEOUT" ? TIMEOUT : WRONG_LEADER;
  });
}
