import { type ClientEnd, Network, randomName, Server } from "@raftkit/labrpc";
import type { RaftConfig } from "../config.js";
import { configOf } from "../core/config-entry.js";
import type { Clock, Random, StateMachine } from "../interfaces.js";
import { RaftNode } from "../node/raft-node.js";
import { MemoryPersister } from "../storage/memory-persister.js";
import { LabrpcTransport } from "../transport/labrpc.js";
import type { ApplyMsg } from "../types.js";
import { AppliedLogs, sameValue, show } from "./applied-logs.js";
import { classicFromEnvironment } from "./classic.js";
import { HarnessError } from "./errors.js";
import { formatPassedLine, type PassedFigures } from "./report.js";
import { decodeHarnessSnapshot, encodeHarnessSnapshot } from "./snapshot-codec.js";

/** The lab's unit of waiting: "generously allows elections in one second". */
export const ELECTION_TIMEOUT_MS = 1000;
/** How long raft's calls wait for a reply (transport-tcp's default). */
const CALL_TIMEOUT_MS = 2000;
/** The lab's virtual-time limit per test. */
export const TEST_TIME_LIMIT_MS = 120_000;

export interface ClusterOptions<Command> {
  /** Number of raft servers. */
  servers: number;
  /** Unreliable network: 0–26 ms delays, 10% of requests and of replies lost. */
  unreliable?: boolean;
  /**
   * Snapshot mode (lab 3D): every `snapshotInterval` entries (at indexes ≡ interval-1), each
   * server snapshots from inside its apply handler, and checks it applies exactly in order.
   */
  snapshot?: boolean;
  snapshotInterval?: number;
  /**
   * Your own state machine, one per server incarnation. Each applies every committed command;
   * results must agree across servers at each index. In snapshot mode its snapshot travels
   * inside the harness's and is restored on install.
   */
  machine?: () => StateMachine<Command>;
  /** Raft timing for every server. */
  config?: Partial<RaftConfig>;
  /** Where the Passed line goes (default: console.log). */
  print?: (line: string) => void;
}

/** Time and randomness: labrpc's `Simulation` provides both (`{ clock: sim, random: sim.random }`). */
export interface ClusterEnvironment {
  clock: Clock;
  random: Random;
}

/**
 * The lab's raft test harness (config.go): n raft servers over a labrpc network with long
 * delays on, per-server persisters, crash/restart with copied persisters and fresh endpoint
 * names, and on every applied message the cross-server and ordering checks. Failures throw
 * HarnessError; an apply-time failure is thrown by the next check (and by `end()`).
 */
export class Cluster<Command = unknown> {
  readonly net: Network;
  /** The servers the cluster was created with: its founding voters, 0 .. founders-1. */
  readonly founders: number;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly options: ClusterOptions<Command>;
  private readonly snapshotInterval: number;
  private readonly rafts: (RaftNode<Command> | undefined)[];
  private readonly persisters: (MemoryPersister<Command> | undefined)[];
  private readonly machines: (StateMachine<Command> | undefined)[];
  private readonly connected: boolean[];
  private readonly endNames: (string[] | undefined)[];
  private readonly applied: AppliedLogs;
  private applyError: HarnessError | undefined;
  private readonly createdAt: number;
  private title = "";
  private t0 = 0;
  private rpcs0 = 0;
  private bytes0 = 0;
  private maxIndex0 = 0;
  private finished = false;

  constructor(env: ClusterEnvironment, options: ClusterOptions<Command>) {
    if (!Number.isInteger(options.servers) || options.servers < 1) {
      throw new RangeError(`servers must be a positive integer, got ${options.servers}`);
    }
    this.clock = env.clock;
    this.random = env.random;
    this.options = options;
    this.founders = options.servers;
    this.snapshotInterval = options.snapshotInterval ?? 10;
    this.net = new Network({ clock: env.clock, random: env.random });
    this.net.setReliable(!options.unreliable);
    this.net.setLongDelays(true);
    const n = options.servers;
    this.rafts = new Array(n).fill(undefined);
    this.persisters = new Array(n).fill(undefined);
    this.machines = new Array(n).fill(undefined);
    this.connected = new Array(n).fill(false);
    this.endNames = new Array(n).fill(undefined);
    this.applied = new AppliedLogs(n);
    this.createdAt = env.clock.now();
    for (let i = 0; i < n; i++) this.start1(i);
    for (let i = 0; i < n; i++) this.connect(i);
  }

  // ---- membership and failures -------------------------------------------------------------

  /** How many servers there are (founders and added ones, running or not). */
  get servers(): number {
    return this.rafts.length;
  }

  /**
   * Starts a new, empty server with the next id that joins the cluster (it takes part once a
   * leader adds it: `raft(leader).changeMembership({ kind: "add-learner", id })`). Connected.
   */
  addServer(): number {
    const i = this.servers;
    this.rafts.push(undefined);
    this.persisters.push(undefined);
    this.machines.push(undefined);
    this.connected.push(false);
    this.endNames.push(undefined);
    this.applied.addServer();
    this.start1(i);
    this.connect(i);
    return i;
  }

  /** (Re)starts server i from a copy of its persister, with fresh endpoints; not yet connected. */
  start1(i: number): void {
    this.crash1(i);
    const names: string[] = [];
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.founders; j++) {
      const name = randomName(this.random, 20);
      names.push(name);
      ends.push(this.net.makeEnd(name));
      this.net.connect(name, j);
    }
    this.endNames[i] = names;
    // Servers added later are reached through endpoints made when first called: the transport
    // learns a new member's "address" (its labrpc server name) once the configuration names it.
    const endTo = (j: number): ClientEnd | undefined => {
      if (ends[j] || j >= this.servers || this.endNames[i] !== names) return ends[j];
      const name = randomName(this.random, 20);
      names[j] = name;
      ends[j] = this.net.makeEnd(name);
      this.net.connect(name, j);
      this.net.enable(name, this.connected[i]! && this.connected[j]!);
      return ends[j];
    };
    this.applied.lastApplied[i] = 0;
    const persister = this.persisters[i]?.copy() ?? new MemoryPersister<Command>();
    this.persisters[i] = persister;
    this.machines[i] = this.options.machine?.();
    // Calls give up after CALL_TIMEOUT_MS, as a real transport's do: a call to a disconnected
    // server would otherwise take up to 7 s (the lab's long delays) to fail, and flow control
    // waits for an unanswered probe or snapshot chunk to settle before it sends the next.
    const transport = new LabrpcTransport(endTo, "Raft", {
      clock: this.clock,
      callTimeoutMs: CALL_TIMEOUT_MS,
    });
    const raft: RaftNode<Command> = new RaftNode<Command>({
      id: i,
      // Founders start the cluster; a server added later joins it with no configuration.
      ...(i < this.founders ? { peerCount: this.founders } : { members: [] }),
      transport,
      storage: persister,
      clock: this.clock,
      random: this.random,
      config: { ...classicFromEnvironment(), ...this.options.config },
      onApply: (message) => {
        if (this.rafts[i] === raft) this.onApply(i, raft, message);
      },
      onError: (error) =>
        this.applyFailed(`server ${i}: ${error instanceof Error ? error.stack : String(error)}`),
    });
    this.rafts[i] = raft;
    const server = new Server();
    transport.register(server);
    this.net.addServer(i, server);
  }

  /** Crashes server i: disconnects it, deletes its server, keeps a copy of what it persisted. */
  crash1(i: number): void {
    this.disconnect(i);
    this.net.deleteServer(i);
    // The old instance may still hold its persister: give the successor a separate copy.
    const persister = this.persisters[i];
    if (persister) this.persisters[i] = persister.copy();
    const raft = this.rafts[i];
    if (raft) {
      raft.kill();
      this.rafts[i] = undefined;
    }
  }

  /** Attaches server i to the network (both directions, to every connected server). */
  connect(i: number): void {
    this.connected[i] = true;
    for (let j = 0; j < this.servers; j++) {
      if (!this.connected[j]) continue;
      const out = this.endNames[i]?.[j];
      if (out !== undefined) this.net.enable(out, true);
      const incoming = this.endNames[j]?.[i];
      if (incoming !== undefined) this.net.enable(incoming, true);
    }
  }

  /** Detaches server i from the network (both directions). */
  disconnect(i: number): void {
    this.connected[i] = false;
    for (let j = 0; j < this.servers; j++) {
      const out = this.endNames[i]?.[j];
      if (out !== undefined) this.net.enable(out, false);
      const incoming = this.endNames[j]?.[i];
      if (incoming !== undefined) this.net.enable(incoming, false);
    }
  }

  isConnected(i: number): boolean {
    return this.connected[i]!;
  }

  /** Server i's raft, or undefined while crashed. */
  raft(i: number): RaftNode<Command> | undefined {
    return this.rafts[i];
  }

  /** Server i's state machine (when the cluster runs one). */
  machine(i: number): StateMachine<Command> | undefined {
    return this.machines[i];
  }

  persister(i: number): MemoryPersister<Command> | undefined {
    return this.persisters[i];
  }

  setUnreliable(unreliable: boolean): void {
    this.net.setReliable(!unreliable);
  }

  setLongReordering(on: boolean): void {
    this.net.setLongReordering(on);
  }

  /** RPCs that reached server i. */
  rpcCount(i: number): number {
    return this.net.getCount(i);
  }

  rpcTotal(): number {
    return this.net.getTotalCount();
  }

  bytesTotal(): number {
    return this.net.getTotalBytes();
  }

  /** The largest persisted raft state among the servers (bytes). */
  logSize(): number {
    let size = 0;
    for (const persister of this.persisters) size = Math.max(size, persister?.raftStateSize() ?? 0);
    return size;
  }

  /** The highest index applied anywhere. */
  get maxIndex(): number {
    return this.applied.maxIndex;
  }

  // ---- checks ------------------------------------------------------------------------------

  /** Waits (up to ~5 s) for exactly one leader among connected servers; returns it. */
  async checkOneLeader(): Promise<number> {
    for (let round = 0; round < 10; round++) {
      await this.clock.sleep(450 + this.random.int(100));
      const leaders = new Map<number, number[]>();
      for (let i = 0; i < this.servers; i++) {
        const raft = this.rafts[i];
        if (!this.connected[i] || !raft) continue;
        const { term, isLeader } = raft.getState();
        if (isLeader) leaders.set(term, [...(leaders.get(term) ?? []), i]);
      }
      let lastTermWithLeader = -1;
      for (const [term, ids] of leaders) {
        if (ids.length > 1) this.fail(`term ${term} has ${ids.length} (>1) leaders`);
        if (term > lastTermWithLeader) lastTermWithLeader = term;
      }
      if (leaders.size > 0) return leaders.get(lastTermWithLeader)![0]!;
    }
    this.fail("expected one leader, got none");
  }

  /** All connected servers report the same term; returns it. */
  checkTerms(): number {
    let term = -1;
    for (let i = 0; i < this.servers; i++) {
      const raft = this.rafts[i];
      if (!this.connected[i] || !raft) continue;
      const xterm = raft.getState().term;
      if (term === -1) term = xterm;
      else if (term !== xterm) this.fail("servers disagree on term");
    }
    return term;
  }

  /** No connected server claims to be leader. */
  checkNoLeader(): void {
    for (let i = 0; i < this.servers; i++) {
      const raft = this.rafts[i];
      if (this.connected[i] && raft?.getState().isLeader) {
        this.fail(`expected no leader among connected servers, but ${i} claims to be leader`);
      }
    }
  }

  /**
   * The index the lab would give the entry at raft index `index` of server i's log: raft's
   * no-op entries (one at the start of every leader's term) and configuration entries take
   * indexes the lab's tests do not expect, so this subtracts those before `index`, from what
   * server i applied and persisted.
   */
  labIndex(i: number, index: number): number {
    const stored = this.persisters[i]?.load();
    const first = (stored?.snapshot?.meta.index ?? 0) + 1;
    let noOps = 0;
    for (let k = 1; k < index; k++) {
      const persisted = stored?.entries[k - first];
      if (
        this.applied.has(i, k)
          ? this.applied.get(i, k) === undefined
          : persisted && (persisted.command === undefined || configOf(persisted) !== undefined)
      )
        noOps++;
    }
    return index - noOps;
  }

  /**
   * How many servers have applied `index`, and the command there (they must agree); a no-op
   * entry's command reads as `undefined`.
   */
  nCommitted(index: number): [count: number, command: unknown] {
    this.throwApplyError();
    let count = 0;
    let command: unknown;
    for (let i = 0; i < this.servers; i++) {
      if (!this.applied.has(i, index)) continue;
      const value = this.applied.get(i, index);
      if (count > 0 && !sameValue(command, value)) {
        this.fail(`committed values do not match: index ${index}, ${show(command)}, ${show(value)}`);
      }
      count++;
      command = value;
    }
    return [count, command];
  }

  /**
   * Waits (backing off from 10 ms, up to ~30 s) until at least `n` servers applied `index`;
   * returns the command, or -1 if `startTerm > -1` and some server moved past that term.
   */
  async wait(index: number, n: number, startTerm: number): Promise<unknown> {
    let pause = 10;
    for (let iter = 0; iter < 30; iter++) {
      const [count] = this.nCommitted(index);
      if (count >= n) break;
      await this.clock.sleep(pause);
      if (pause < 1000) pause *= 2;
      if (startTerm > -1) {
        for (const raft of this.rafts) if (raft && raft.getState().term > startTerm) return -1;
      }
    }
    const [count, command] = this.nCommitted(index);
    if (count < n) this.fail(`only ${count} decided for index ${index}; wanted ${n}`);
    return command;
  }

  /**
   * Submits `command` through whichever connected server is leader and waits until at least
   * `expectedServers` applied it; returns its index. Gives a leader 2 s to commit (then fails,
   * or with `retry` tries again) within an overall budget of 10 s.
   */
  async one(command: Command, expectedServers: number, retry: boolean): Promise<number> {
    const t0 = this.clock.now();
    let starts = 0;
    while (this.clock.now() - t0 < 10_000 && !this.finished) {
      let index = -1;
      for (let k = 0; k < this.servers; k++) {
        starts = (starts + 1) % this.servers;
        const raft = this.rafts[starts];
        if (this.connected[starts] && raft) {
          const result = raft.start(command);
          if (result.isLeader) {
            index = result.index;
            break;
          }
        }
      }
      if (index !== -1) {
        const t1 = this.clock.now();
        while (this.clock.now() - t1 < 2000) {
          const [count, value] = this.nCommitted(index);
          if (count > 0 && count >= expectedServers && sameValue(value, command)) return index;
          await this.clock.sleep(20);
        }
        if (!retry) this.fail(`one(${show(command)}) failed to reach agreement`);
      } else {
        await this.clock.sleep(50);
      }
    }
    this.throwApplyError();
    this.fail(`one(${show(command)}) failed to reach agreement`);
  }

  // ---- test lifecycle ----------------------------------------------------------------------

  /** Starts a test: remembers the title and the counters the Passed line reports. */
  begin(title: string): void {
    this.title = title;
    this.t0 = this.clock.now();
    this.rpcs0 = this.rpcTotal();
    this.bytes0 = this.bytesTotal();
    this.maxIndex0 = this.applied.maxIndex;
  }

  /** Ends a test: checks the time limit and apply errors, prints the Passed line, returns it. */
  end(): PassedFigures {
    this.checkTimeout();
    this.throwApplyError();
    const figures: PassedFigures = {
      title: this.title,
      seconds: (this.clock.now() - this.t0) / 1000,
      peers: this.servers,
      rpcs: this.rpcTotal() - this.rpcs0,
      bytes: this.bytesTotal() - this.bytes0,
      commands: this.applied.maxIndex - this.maxIndex0,
    };
    (this.options.print ?? console.log)(formatPassedLine(figures));
    return figures;
  }

  /** Kills every server and shuts the network down. Call it in a `finally`. */
  cleanup(): void {
    this.finished = true;
    for (const raft of this.rafts) raft?.kill();
    this.net.cleanup();
  }

  /** Fails when the test ran past the lab's 120 s (virtual). */
  checkTimeout(): void {
    if (this.clock.now() - this.createdAt > TEST_TIME_LIMIT_MS) {
      this.fail("test took longer than 120 seconds");
    }
  }

  // ---- appliers ----------------------------------------------------------------------------

  private onApply(i: number, raft: RaftNode<Command>, message: ApplyMsg<Command>): void {
    if (message.kind === "snapshot") {
      if (!this.options.snapshot) return;
      const snapshot = decodeHarnessSnapshot(message.snapshot);
      if (snapshot.index !== message.index) {
        this.applyFailed(`server ${i} snapshot index ${snapshot.index} != message index ${message.index}`);
        return;
      }
      this.applied.restore(i, snapshot.commands);
      if (snapshot.machine) this.machines[i]?.restore(snapshot.machine, message);
      return;
    }
    const { index } = message;
    // raft's no-op entries are recorded as `undefined`: they take an index like any entry.
    const command = message.kind === "command" ? message.command : undefined;
    if (this.options.snapshot && index !== this.applied.lastApplied[i]! + 1) {
      this.applyFailed(
        `server ${i} apply out of order, expected index ${this.applied.lastApplied[i]! + 1}, got ${index}`,
      );
      return;
    }
    const error = this.applied.record(i, index, command);
    if (error) {
      this.applyFailed(error);
      return;
    }
    this.applied.lastApplied[i] = index;
    const machine = this.machines[i];
    if (machine && message.kind === "command") {
      const divergence = this.applied.recordResult(i, index, machine.apply(message.command, index));
      if (divergence) this.applyFailed(divergence);
    }
    if (this.options.snapshot && (index + 1) % this.snapshotInterval === 0) {
      const bytes = encodeHarnessSnapshot({
        index,
        commands: this.applied.prefix(i, index),
        machine: machine?.snapshot(),
      });
      raft.snapshot(index, bytes);
    }
  }

  private applyFailed(message: string): void {
    this.applyError ??= new HarnessError(`apply error: ${message}`);
  }

  private throwApplyError(): void {
    if (this.applyError) throw this.applyError;
  }

  private fail(message: string): never {
    throw new HarnessError(message);
  }
}

/** Makes a cluster on a labrpc `Simulation` (or anything with a clock and a random source). */
export function makeCluster<Command = unknown>(
  sim: Clock & { random: Random },
  options: ClusterOptions<Command>,
): Cluster<Command> {
  return new Cluster<Command>({ clock: sim, random: sim.random }, options);
}
