/** What a benchmark client can do: the three key/value operations, each resolving when done. */
export interface KvClient {
  get(key: string): Promise<unknown>;
  put(key: string, value: string): Promise<unknown>;
  append(key: string, value: string): Promise<unknown>;
}

/** Messages and bytes the system has exchanged so far (RPCs, or the transport's own counts). */
export interface Counters {
  rpcs: number;
  bytes: number;
  /** CPU time used so far, in µs: by each server process (by member) and by this (the clients') process. */
  cpuUs?: { servers: number[]; client: number };
}

/** A running system under test. */
export interface Deployment {
  /** New clients, each with its own session (a client runs one operation at a time). */
  makeClients(n: number): KvClient[];
  counters(): Counters | Promise<Counters>;
  /** Kills the current leader (failover scenarios): kill -9, or SIGTERM for a planned stop. */
  killLeader?(): Promise<void>;
  close(): Promise<void>;
}

/** How the linearizable Gets of kvraft are made: through the log, by ReadIndex or by lease. */
export type ReadsMode = "log" | "read-index" | "lease";

/** Raft timing for a deployment (`--heartbeat`, `--election-timeout`); absent: each system's defaults. */
export interface Timing {
  heartbeatMs: number;
  electionTimeoutMs: { min: number; max: number };
}

export interface DeployOptions {
  reads: ReadsMode;
  /**
   * raftkit: heartbeat interval and election timeout range; etcd: `--heartbeat-interval` and
   * `--election-timeout` = min (etcd draws its timeouts from [min, 2 × min) by itself).
   */
  timing?: Timing | undefined;
  /**
   * Server processes run under `node --cpu-prof` and write `member-<id>-<start>.cpuprofile` here
   * when they stop (open in Chrome DevTools or speedscope).
   */
  profileDir?: string | undefined;
  /** Node.js flags for each raftkit-kv server process (none by default). */
  nodeFlags?: readonly string[] | undefined;
}

export interface Scenario {
  name: string;
  description: string;
  transport: "labrpc" | "tcp";
  servers: number;
  /** Kill the leader a third of the way into each measured run, and report the write stall. */
  failover?: boolean;
  /** Client counts this scenario always runs with, whatever --clients says. */
  clients?: number[];
  /** The measured window is at least this long (a failover needs time for an election). */
  minDurationMs?: number;
  /** An outside program this scenario runs: such scenarios are not in the default suite. */
  requires?: "etcd";
  /** The raftkit scenario this one is the yardstick for (`--vs-etcd` runs them side by side). */
  counterpart?: string;
  /**
   * Starts the system. Runs of a scenario share one deployment (and its growing state), except
   * failover runs, which each get a fresh one.
   */
  deploy(options: DeployOptions): Promise<Deployment>;
}
