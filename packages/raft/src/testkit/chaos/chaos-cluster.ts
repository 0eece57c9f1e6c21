import { type ClientEnd, Network, randomName, Server, Service } from "@raftkit/labrpc";
import type { Clock, Random, Transport } from "../../interfaces.js";
import { type CallableEnd, LabrpcTransport } from "../../transport/labrpc.js";
import { sameValue, show } from "../applied-logs.js";
import { StorageFaultError } from "../errors.js";
import { ElectionSafety } from "./checkers/election-safety.js";
import { StateMachineSafety } from "./checkers/state-machine-safety.js";
import type { Violation } from "./checkers/violation.js";
import { LinkFaults } from "./link-faults.js";
import type { ChaosMember, MemberFactory } from "./member.js";
import { PausableClock } from "./pausable-clock.js";
import { RecordingStorage } from "./recording-storage.js";
import { type MemberStorage, memoryStorage, type StorageModel } from "./storage-model.js";

export interface ChaosClusterOptions<Command> {
  members: number;
  member: MemberFactory<Command>;
  /** Durable state across crashes (default: `memoryStorage()`). */
  storage?: StorageModel<Command>;
  /** Errors a member may report without it being a bug (default: the injected StorageFaultError). */
  isExpectedError?: (error: unknown) => boolean;
}

interface Incarnation {
  readonly member: ChaosMember;
  readonly clock: PausableClock;
  readonly storage: RecordingStorage<unknown>;
  readonly endNames: readonly string[];
}

/**
 * A cluster the nemesis can torture: members built by your factory on a labrpc network, with
 * one-way link faults, pauses, crashes and restarts, and the raft-level safety checkers
 * (election safety, state machine safety, equal results at equal indexes) run by `check()`.
 */
export class ChaosCluster<Command = unknown> {
  readonly net: Network;
  readonly links: LinkFaults;
  readonly members: number;
  readonly storage: StorageModel<Command>;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #factory: MemberFactory<Command>;
  readonly #isExpectedError: (error: unknown) => boolean;
  readonly #live: (Incarnation | undefined)[];
  readonly #elections = new ElectionSafety();
  readonly #log = new StateMachineSafety();
  readonly #results = new Map<number, unknown>();
  readonly #violations: Violation[] = [];

  constructor(env: { clock: Clock; random: Random }, options: ChaosClusterOptions<Command>) {
    if (!Number.isInteger(options.members) || options.members < 1) {
      throw new RangeError(`members must be a positive integer, got ${options.members}`);
    }
    this.#clock = env.clock;
    this.#random = env.random;
    this.members = options.members;
    this.#factory = options.member;
    this.storage = options.storage ?? memoryStorage<Command>();
    this.#isExpectedError = options.isExpectedError ?? ((error) => error instanceof StorageFaultError);
    this.net = new Network({ clock: env.clock, random: env.random });
    this.links = new LinkFaults(this.members, env.clock, env.random);
    this.#live = new Array(this.members).fill(undefined);
    for (let i = 0; i < this.members; i++) this.start(i);
  }

  /** Every member index, 0 .. members-1. */
  all(): number[] {
    return Array.from({ length: this.members }, (_, i) => i);
  }

  /** Starts member i (a new incarnation from its durable state); a running one is crashed first. */
  start(i: number): void {
    this.crash(i);
    const clock = new PausableClock(this.#clock);
    const gate = () => clock.gate();
    const endNames = this.all().map(() => randomName(this.#random, 20));
    const ends = endNames.map((name, j) => {
      const end: ClientEnd = this.net.makeEnd(name);
      this.net.connect(name, j);
      this.net.enable(name, true);
      return this.links.wrap(end, i, j, gate);
    });
    const raw = new LabrpcTransport(ends);
    // A paused member takes raft's requests, like its clients', only once it resumes.
    // Every AppendEntries is a claim to lead its term: election safety sees each one.
    const transport: Transport = {
      call: (to, method, args) => {
        if (method === "AppendEntries") this.claimsLeadership(i, args);
        return raw.call(to, method, args);
      },
      listen: (handler) => raw.listen(gated({ handler }, gate).handler!),
    };
    const storage = new RecordingStorage(this.storage.start(i) as MemberStorage<unknown>);
    let member: ChaosMember | undefined;
    const current = () => member !== undefined && this.#live[i]?.member === member;
    member = this.#factory({
      id: i,
      peerCount: this.members,
      transport,
      storage: storage as MemberStorage<Command>,
      clock,
      random: this.#random,
      onError: (error) => {
        if (current() && !this.#isExpectedError(error)) this.memberError(i, error);
      },
      onApplied: (index, result) => {
        if (current()) this.compareResult(i, index, result);
      },
    });
    this.#live[i] = { member, clock, storage, endNames };
    this.#log.restarted(i);
    const server = new Server();
    raw.register(server);
    for (const [name, handlers] of Object.entries(member.services ?? {})) {
      server.addService(new Service(name, gated(handlers, gate)));
    }
    this.net.addServer(i, server);
  }

  /** Crashes member i: its server leaves the network, its ends die, its storage keeps what was durable. */
  crash(i: number): void {
    const incarnation = this.#live[i];
    if (!incarnation) return;
    this.#live[i] = undefined;
    this.net.deleteServer(i);
    for (const name of incarnation.endNames) this.net.deleteEnd(name);
    incarnation.member.kill();
    this.storage.crash(i);
  }

  pause(i: number): void {
    this.#live[i]?.clock.pause();
  }

  resume(i: number): void {
    this.#live[i]?.clock.resume();
  }

  /** Running: started, not crashed, and its raft has not stopped itself (e.g. on a disk error). */
  isUp(i: number): boolean {
    const incarnation = this.#live[i];
    return incarnation !== undefined && !incarnation.member.raft.killed;
  }

  isPaused(i: number): boolean {
    return this.#live[i]?.clock.paused ?? false;
  }

  member(i: number): ChaosMember | undefined {
    return this.#live[i]?.member;
  }

  /** The running, unpaused member that leads in the highest term, if any. */
  leader(): number | undefined {
    let best: { i: number; term: number } | undefined;
    for (let i = 0; i < this.members; i++) {
      if (!this.isUp(i) || this.isPaused(i)) continue;
      const { term, isLeader } = this.#live[i]!.member.raft.getState();
      if (isLeader && (!best || term > best.term)) best = { i, term };
    }
    return best?.i;
  }

  /** Fresh ends for a new client, one per member (end j reaches member j), never cut off. */
  clientEnds(): CallableEnd[] {
    return this.all().map((j) => {
      const name = randomName(this.#random, 20);
      const end = this.net.makeEnd(name);
      this.net.connect(name, j);
      this.net.enable(name, true);
      return this.links.wrap(end, "client", j, () => undefined);
    });
  }

  /** Runs the raft-level checkers over every running member; returns what they found so far. */
  check(): readonly Violation[] {
    const now = this.#clock.now();
    for (let i = 0; i < this.members; i++) {
      const incarnation = this.#live[i];
      if (!incarnation) continue;
      const raft = incarnation.member.raft;
      const { term, isLeader } = raft.getState();
      if (isLeader && !raft.killed) this.record(this.#elections.observe(i, term, now));
      this.record(this.#log.observe(i, raft.commitIndex, (k) => incarnation.storage.entry(k), now));
    }
    return this.#violations;
  }

  get violations(): readonly Violation[] {
    return this.#violations;
  }

  /** Entries the checkers have seen committed. */
  get committedCount(): number {
    return this.#log.committedCount;
  }

  /** The command committed at `index`, as far as the checkers have seen. */
  committed(index: number): unknown {
    return this.#log.committed(index)?.command;
  }

  /** Stops every member and the network. */
  close(): void {
    for (let i = 0; i < this.members; i++) this.#live[i]?.member.kill();
    this.net.cleanup();
  }

  private record(violation: Violation | undefined): void {
    // A disagreement stays visible on every later check: report each one once.
    if (violation && !this.#violations.some((v) => v.message === violation.message)) {
      this.#violations.push(violation);
    }
  }

  private claimsLeadership(i: number, args: unknown): void {
    const term = (args as { term?: unknown } | null)?.term;
    if (typeof term === "number") this.record(this.#elections.observe(i, term, this.#clock.now()));
  }

  private memberError(i: number, error: unknown): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.record({ checker: "member-error", message: `member ${i}: ${text}`, atMs: this.#clock.now() });
  }

  private compareResult(i: number, index: number, result: unknown): void {
    if (!this.#results.has(index)) {
      this.#results.set(index, result);
    } else if (!sameValue(this.#results.get(index), result)) {
      this.record({
        checker: "state-machine-safety",
        message: `state machines diverge at index ${index}: member ${i} returned ${show(result)}, another returned ${show(this.#results.get(index))}`,
        atMs: this.#clock.now(),
      });
    }
  }
}

/** Wraps handlers so a paused member takes requests only once it resumes. */
function gated<F extends (...args: never[]) => unknown>(
  handlers: Readonly<Record<string, F>>,
  gate: () => Promise<void> | undefined,
): Record<string, F> {
  const out: Record<string, F> = {};
  for (const [method, handler] of Object.entries(handlers)) {
    out[method] = ((...args: Parameters<F>) => {
      const wait = gate();
      return wait ? wait.then(() => handler(...args)) : handler(...args);
    }) as F;
  }
  return out;
}
