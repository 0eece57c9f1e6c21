import { type ClientEnd, Network, randomName, Server, Service, type Simulation } from "@raftkit/labrpc";
import { type CallableEnd, LabrpcTransport, MemoryPersister } from "@raftkit/raft";
import { classicFromEnvironment } from "@raftkit/raft/testkit";
import { labrpcHandlers, type ReadMode } from "@raftkit/service";
import type { KvRaftEntry } from "../../src/index.js";
import { Clerk, KvRaftServer } from "../../src/index.js";

/** The lab's electionTimeout: the unit the tests wait in. */
export const ELECTION_TIMEOUT_MS = 1000;
/** The lab's per-test limit, in virtual time. */
const TEST_LIMIT_MS = 120_000;
/**
 * A reliable labrpc call takes no virtual time. Every call in this harness (client and raft)
 * first waits a latency drawn from [LATENCY_MS/2, 3*LATENCY_MS/2), in order per end, standing
 * for the wire and the per-RPC work of a real server, so clients looping on a reliable network
 * let time advance.
 */
export const LATENCY_MS = 2;

/** What a lab title says about how Gets were served: nothing for the log (the lab's way). */
export function readsSuffix(reads: ReadMode | undefined): string {
  return reads === "read-index" ? " [ReadIndex reads]" : reads === "lease" ? " [lease reads]" : "";
}

export interface KvConfigOptions {
  servers: number;
  unreliable: boolean;
  /** -1: never snapshot. */
  maxRaftState: number;
  /** Beyond the lab: 2/3 of replies arrive 200–2200 ms late. */
  longReordering?: boolean;
  /** How the servers serve Gets (default: through the log). */
  reads?: ReadMode;
  /** Writes whose command encodes larger are refused `too-large` (default: the service layer's). */
  maxCommandBytes?: number;
  /** Wraps each server's storage (to observe or slow it); the cluster still copies the inner one. */
  wrapStorage?: (
    inner: MemoryPersister<KvRaftEntry>,
  ) => ConstructorParameters<typeof KvRaftServer>[0]["persister"];
}

interface ClientRecord {
  /** End names, indexed by server. */
  readonly names: readonly string[];
}

/**
 * The lab's kvraft harness (config.go): n KvRaftServers on a labrpc network (long delays off),
 * each registering its Service (the service layer's client methods) and Raft services on one labrpc server; crash and restart with
 * copied persisters and fresh endpoint names; partitions of the server links; clerks on their
 * own ends (handed the servers in a random order) that can be attached to a subset.
 */
export class KvRaftConfig {
  readonly net: Network;
  readonly n: number;
  readonly maxRaftState: number;
  readonly reads: ReadMode;
  private readonly wrapStorage: KvConfigOptions["wrapStorage"];
  private readonly servers: (KvRaftServer | undefined)[];
  private readonly persisters: (MemoryPersister<KvRaftEntry> | undefined)[];
  private readonly endNames: string[][];
  private readonly clients = new Map<Clerk, ClientRecord>();
  private readonly createdAt: number;
  private t0 = 0;
  private rpcs0 = 0;
  private ops = 0;
  private lastStamp = Number.NEGATIVE_INFINITY;
  private title = "";

  constructor(
    readonly sim: Simulation,
    private readonly options: KvConfigOptions,
  ) {
    this.n = options.servers;
    this.maxRaftState = options.maxRaftState;
    this.reads = options.reads ?? "log";
    this.wrapStorage = options.wrapStorage;
    this.net = new Network({ clock: sim, random: sim.random });
    this.net.setReliable(!options.unreliable);
    this.net.setLongDelays(false);
    this.net.setLongReordering(options.longReordering ?? false);
    this.servers = new Array(this.n).fill(undefined);
    this.persisters = new Array(this.n).fill(undefined);
    this.endNames = Array.from({ length: this.n }, () => []);
    this.createdAt = sim.now();
    for (let i = 0; i < this.n; i++) this.startServer(i);
    this.connectAll();
  }

  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  /**
   * An end whose calls each take a latency of [LATENCY_MS/2, 3*LATENCY_MS/2) before reaching
   * the network, but never overtake an earlier call on the same end — like one TCP connection.
   * (With overtaking, raft's AppendEntries arrive out of order on the reliable network, and the
   * rejections that follow make the leader resend entries: ~2.4 sends per entry per follower.)
   */
  private delayed(end: ClientEnd): CallableEnd {
    let lastArrival = Number.NEGATIVE_INFINITY;
    return {
      call: async (method, args) => {
        const latency = LATENCY_MS / 2 + this.sim.random.float() * LATENCY_MS;
        lastArrival = Math.max(this.sim.now() + latency, lastArrival);
        await this.sim.sleep(lastArrival - this.sim.now());
        return end.call(method, args);
      },
    };
  }

  // ---- server links --------------------------------------------------------------------

  /** Enables the links between server i and each server in `to`, both directions. */
  connect(i: number, to: readonly number[]): void {
    for (const j of to) {
      this.net.enable(this.endNames[i]![j]!, true);
      this.net.enable(this.endNames[j]![i]!, true);
    }
  }

  disconnect(i: number, from: readonly number[]): void {
    for (const j of from) {
      const out = this.endNames[i]?.[j];
      if (out !== undefined) this.net.enable(out, false);
      const incoming = this.endNames[j]?.[i];
      if (incoming !== undefined) this.net.enable(incoming, false);
    }
  }

  connectAll(): void {
    for (let i = 0; i < this.n; i++) this.connect(i, this.all());
  }

  /** Servers inside each side can talk; links across are cut. Client links are untouched. */
  partition(p1: readonly number[], p2: readonly number[]): void {
    for (const i of p1) {
      this.disconnect(i, p2);
      this.connect(i, p1);
    }
    for (const i of p2) {
      this.disconnect(i, p1);
      this.connect(i, p2);
    }
  }

  // ---- clients -------------------------------------------------------------------------

  /** A clerk with fresh ends to every server (in a random order); only those in `to` enabled. */
  makeClient(to: readonly number[]): Clerk {
    const names = this.all().map(() => randomName(this.sim.random, 20));
    const ends = names.map((name, j) => {
      const end = this.net.makeEnd(name);
      this.net.connect(name, j);
      return this.delayed(end);
    });
    const order = this.permutation(this.n);
    // Each end names its server's id, so the clerk follows leader hints to the right end.
    const clerk = new Clerk(
      order.map((j) => ({ id: j, call: ends[j]!.call })),
      { clock: this.sim, random: this.sim.random },
    );
    this.clients.set(clerk, { names });
    this.connectClient(clerk, to);
    return clerk;
  }

  deleteClient(clerk: Clerk): void {
    const record = this.clients.get(clerk);
    if (!record) return;
    for (const name of record.names) this.net.deleteEnd(name);
    this.clients.delete(clerk);
  }

  connectClient(clerk: Clerk, to: readonly number[]): void {
    const record = this.clients.get(clerk)!;
    for (const j of to) this.net.enable(record.names[j]!, true);
  }

  disconnectClient(clerk: Clerk, from: readonly number[]): void {
    const record = this.clients.get(clerk)!;
    for (const j of from) this.net.enable(record.names[j]!, false);
  }

  private permutation(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = this.sim.random.int(i + 1);
      [order[i], order[k]] = [order[k]!, order[i]!];
    }
    return order;
  }

  // ---- crashes -------------------------------------------------------------------------

  /**
   * Crashes server i: cut it off, delete its labrpc server (so nothing it does later can reach
   * anyone) before giving its successor a copy of the persister, then kill it.
   */
  shutdownServer(i: number): void {
    this.disconnect(i, this.all());
    this.net.deleteServer(i);
    const persister = this.persisters[i];
    if (persister) this.persisters[i] = persister.copy();
    this.servers[i]?.kill();
    this.servers[i] = undefined;
  }

  /** (Re)starts server i from a copy of its persister, with fresh (disabled) outgoing ends. */
  startServer(i: number): void {
    const names = this.all().map(() => randomName(this.sim.random, 20));
    const ends = names.map((name, j) => {
      const end = this.net.makeEnd(name);
      this.net.connect(name, j);
      return this.delayed(end);
    });
    this.endNames[i] = names;
    const persister = this.persisters[i]?.copy() ?? new MemoryPersister<KvRaftEntry>();
    this.persisters[i] = persister;
    const transport = new LabrpcTransport(ends);
    const kv = new KvRaftServer({
      id: i,
      peerCount: this.n,
      transport,
      persister: this.wrapStorage?.(persister) ?? persister,
      clock: this.sim,
      random: this.sim.random,
      maxRaftState: this.maxRaftState,
      ...(this.options.maxCommandBytes === undefined
        ? {}
        : { maxCommandBytes: this.options.maxCommandBytes }),
      reads: this.reads,
      // RAFTKIT_RAFT_CLASSIC=1: pre-vote and check-quorum off (lease reads need check-quorum).
      ...(this.reads === "lease" ? {} : { raftConfig: classicFromEnvironment() }),
    });
    this.servers[i] = kv;
    const server = new Server();
    server.addService(new Service("Service", labrpcHandlers(kv.handle)));
    transport.register(server);
    this.net.addServer(i, server);
  }

  server(i: number): KvRaftServer | undefined {
    return this.servers[i];
  }

  // ---- observations --------------------------------------------------------------------

  /** The first server whose raft says it leads. */
  leader(): number | undefined {
    for (let i = 0; i < this.n; i++) if (this.servers[i]?.raft.getState().isLeader) return i;
    return undefined;
  }

  /** The lab's make_partition: p1 = n/2+1 non-leaders, p2 = the rest with the leader last. */
  makePartition(): [number[], number[]] {
    const l = this.leader() ?? 0;
    const others = this.all().filter((i) => i !== l);
    const size1 = Math.floor(this.n / 2) + 1;
    return [others.slice(0, size1), [...others.slice(size1), l]];
  }

  /** The largest persisted raft state among the servers. */
  logSize(): number {
    return Math.max(0, ...this.persisters.map((p) => p?.raftStateSize() ?? 0));
  }

  /** The largest snapshot among the servers. */
  snapshotSize(): number {
    return Math.max(0, ...this.persisters.map((p) => p?.snapshotSize() ?? 0));
  }

  // ---- test lifecycle ------------------------------------------------------------------

  begin(title: string): void {
    this.title = title;
    console.log(`${title} ...`);
    this.t0 = this.sim.now();
    this.rpcs0 = this.net.getTotalCount();
    this.ops = 0;
  }

  /** Counts one Clerk operation made through the test wrappers. */
  op(): void {
    this.ops++;
  }

  /**
   * A history timestamp: the virtual time, nudged so that stamps strictly increase in the order
   * they are taken (the simulation is single-threaded, so that order is the real-time order).
   */
  stamp(): number {
    this.lastStamp = Math.max(this.sim.now(), this.lastStamp + 1e-6);
    return this.lastStamp;
  }

  checkTimeout(): void {
    if (this.sim.now() - this.createdAt > TEST_LIMIT_MS) throw new Error("test took longer than 120 seconds");
  }

  /** Prints the lab's kvraft Passed line and returns its figures. */
  end(): PassedFigures {
    this.checkTimeout();
    const figures: PassedFigures = {
      title: this.title,
      seconds: (this.sim.now() - this.t0) / 1000,
      peers: this.n,
      rpcs: this.net.getTotalCount() - this.rpcs0,
      ops: this.ops,
    };
    console.log(formatPassedLine(figures));
    return figures;
  }

  cleanup(): void {
    for (const server of this.servers) server?.kill();
    this.net.cleanup();
  }
}

export interface PassedFigures {
  title: string;
  seconds: number;
  peers: number;
  rpcs: number;
  ops: number;
}

/** The lab's kvraft line: `  ... Passed --  %4.1f  %d %5d %4d`. */
export function formatPassedLine(f: PassedFigures): string {
  return `  ... Passed --  ${f.seconds.toFixed(1).padStart(4)}  ${f.peers} ${String(f.rpcs).padStart(5)} ${String(f.ops).padStart(4)}`;
}
