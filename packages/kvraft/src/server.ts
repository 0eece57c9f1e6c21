import type {
  Clock,
  PeerId,
  Persister,
  RaftConfig,
  RaftNode,
  RaftStorage,
  Random,
  RequestHandler,
  Transport,
} from "@raftkit/raft";
import { type ReadMode, ReplicatedService, type ServiceEntry, serviceHandler } from "@raftkit/service";
import type { KvRaftAnswer, KvRaftCommand, KvRaftResult } from "./command.js";
import { KvRaftConfigError } from "./errors.js";
import { kvRaftParsers } from "./protocol.js";
import { KvRaftStateMachine } from "./state-machine.js";

/** What a KvRaftServer keeps in raft's log: kvraft's compact commands in the service layer's entries. */
export type KvRaftEntry = ServiceEntry<KvRaftCommand>;

export interface KvRaftServerOptions {
  /** This server's raft member id (see RaftNodeOptions.id). */
  id: PeerId;
  /** Number of founding servers: raft members 0 .. peerCount-1 on `transport`. */
  peerCount?: number;
  /** Instead of peerCount: the founding members' ids, or [] for a server joining a running cluster. */
  members?: readonly PeerId[];
  /** Raft's transport to the other servers (see `splitTransport` to serve clients on the same one). */
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
  /**
   * A write whose command encodes larger is refused (ValueTooLargeError) and not logged. Default
   * and maximum: raft's `maxProposalBytes` less 64 bytes (the service's: 1 MiB − 64 by default).
   */
  maxCommandBytes?: number;
  /** How long a leader waits for a request to commit before answering TIMEOUT. Default 1000 ms. */
  requestTimeoutMs?: number;
  /**
   * How a Get is made linearizable (the service layer's `read()` does it). `"log"` (the
   * default): through the log, like a write. `"read-index"`: raft's `readIndex()` — the leader
   * confirms with one heartbeat round that it still leads, then answers from its state machine
   * once that has applied the commit index of the Get's arrival; no log entry. `"lease"`: the
   * same without the round while the leader's lease holds (needs raft's `checkQuorum`, on by
   * default, and trusts its `maxClockDriftMs`).
   */
  reads?: ReadMode;
  /** The cluster's name: a client request for another cluster is refused (default: not checked). */
  cluster?: string;
  /** Raft timing (heartbeats, election timeouts). */
  raftConfig?: Partial<RaftConfig>;
  /** Errors raft cannot attribute to a caller (default: rethrown, see RaftNode). */
  onError?: (error: unknown) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 1000;

/**
 * One replica of the key/value service: kvsrv's KvStateMachine (fed kvraft's compact commands)
 * replicated by a ReplicatedService
 * from @raftkit/service, which does everything between a request and its result (sessions,
 * waiting, leadership, timeouts, reads, snapshots). This class only chooses the options and
 * serves the service's wire protocol with kvraft's parsers.
 */
export class KvRaftServer {
  /** The replicated service underneath. */
  readonly service: ReplicatedService<KvRaftCommand, KvRaftResult, string, KvRaftAnswer>;
  /** Answers one client request (`Service.OpenSession`, `.Submit`, `.Read`); never throws. */
  readonly handle: RequestHandler;
  #dead = false;

  constructor(options: KvRaftServerOptions) {
    const maxRaftState = options.maxRaftState ?? -1;
    if (!Number.isInteger(maxRaftState) || (maxRaftState < 1 && maxRaftState !== -1)) {
      throw new KvRaftConfigError(`maxRaftState must be -1 or a positive integer, got ${maxRaftState}`);
    }
    const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new KvRaftConfigError(`requestTimeoutMs must be positive, got ${timeoutMs}`);
    const reads = options.reads ?? "log";
    if (!["log", "read-index", "lease"].includes(reads)) {
      throw new KvRaftConfigError(`reads must be "log", "read-index" or "lease", got ${String(reads)}`);
    }
    // The layer checks the rest (a lease without check-quorum is a ServiceConfigError).
    this.service = new ReplicatedService({
      id: options.id,
      ...(options.peerCount === undefined ? {} : { peerCount: options.peerCount }),
      ...(options.members === undefined ? {} : { members: options.members }),
      transport: options.transport,
      storage: options.persister,
      stateMachine: new KvRaftStateMachine(),
      clock: options.clock,
      random: options.random,
      timeoutMs,
      reads,
      ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
      ...(options.maxCommandBytes === undefined ? {} : { maxCommandBytes: options.maxCommandBytes }),
      ...(maxRaftState > 0 ? { snapshot: { maxLogBytes: maxRaftState } } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.raftConfig ? { raftConfig: options.raftConfig } : {}),
    });
    this.handle = serviceHandler(this.service, kvRaftParsers);
  }

  /** The raft member under this server (the lab tester asks it who leads). */
  get raft(): RaftNode<KvRaftEntry> {
    return this.service.node;
  }

  /** Serves client requests arriving on `transport` (not raft's: that one is raft's alone). */
  listen(transport: Pick<Transport, "listen">): this {
    transport.listen(this.handle);
    return this;
  }

  /** Stops raft and answers every waiting request CLOSED (the client retries elsewhere). */
  kill(): void {
    if (this.#dead) return;
    this.#dead = true;
    void this.service.close();
  }

  get killed(): boolean {
    return this.#dead;
  }

  /** The highest log index applied to this replica's state machine. */
  get appliedIndex(): number {
    return this.service.appliedIndex;
  }

  /** Requests waiting for their entry to apply (or for a read's confirmation). */
  get pendingRequests(): number {
    return this.service.pending;
  }
}
