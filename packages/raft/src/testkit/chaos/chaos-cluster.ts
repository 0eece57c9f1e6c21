import { Network, randomName } from "@raftkit/labrpc";
import { describeMembership } from "../../core/membership.js";
import type { Clock, Random } from "../../interfaces.js";
import type { CallableEnd } from "../../transport/labrpc.js";
import { StorageFaultError } from "../errors.js";
import type { Violation } from "./checkers/violation.js";
import { ClusterChecks } from "./cluster-checks.js";
import { type Incarnation, type Wiring, wireIncarnation } from "./incarnation.js";
import { LinkFaults } from "./link-faults.js";
import type { ChaosMember, MemberFactory } from "./member.js";
import { RecordingStorage } from "./recording-storage.js";
import { Roster } from "./roster.js";
import { type MemberStorage, memoryStorage, type StorageModel } from "./storage-model.js";

export interface ChaosClusterOptions<Command> {
  /** Founding members: ids 0 .. members-1, the first configuration's voters. */
  members: number;
  /**
   * Spare ids (members .. members+spares-1) that membership faults may start as new, empty
   * members and add during the run (default 0: a fixed member set).
   */
  spares?: number;
  member: MemberFactory<Command>;
  /** Durable state across crashes (default: `memoryStorage()`). */
  storage?: StorageModel<Command>;
  /** Errors a member may report without it being a bug (default: the injected StorageFaultError). */
  isExpectedError?: (error: unknown) => boolean;
}

interface Live extends Incarnation {
  readonly id: number;
  readonly storage: RecordingStorage<unknown>;
}

/**
 * A cluster the nemesis can torture: members built by your factory on a labrpc network, with
 * one-way link faults, pauses, crashes and restarts, new members started with spare ids (the
 * roster follows the committed configuration), and the raft-level safety checkers (election
 * safety, state machine safety, equal results at equal indexes) run by `check()` over every
 * member that ever ran, removed ones included.
 */
export class ChaosCluster<Command = unknown> {
  readonly net: Network;
  readonly links: LinkFaults;
  /** How many founded the cluster (ids 0 .. members-1). */
  readonly members: number;
  readonly roster: Roster;
  readonly storage: StorageModel<Command>;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #factory: MemberFactory<Command>;
  readonly #isExpectedError: (error: unknown) => boolean;
  readonly #live: (Live | undefined)[];
  readonly #checks = new ClusterChecks();
  readonly #wiring: Wiring;

  constructor(env: { clock: Clock; random: Random }, options: ChaosClusterOptions<Command>) {
    if (!Number.isInteger(options.members) || options.members < 1) {
      throw new RangeError(`members must be a positive integer, got ${options.members}`);
    }
    const spares = options.spares ?? 0;
    if (!Number.isInteger(spares) || spares < 0) {
      throw new RangeError(`spares must be a whole number, got ${spares}`);
    }
    this.#clock = env.clock;
    this.#random = env.random;
    this.members = options.members;
    this.roster = new Roster(options.members, spares);
    this.#factory = options.member;
    this.storage = options.storage ?? memoryStorage<Command>();
    this.#isExpectedError = options.isExpectedError ?? ((error) => error instanceof StorageFaultError);
    this.net = new Network({ clock: env.clock, random: env.random });
    this.links = new LinkFaults(this.roster.slots, env.clock, env.random);
    this.#live = new Array(this.roster.slots).fill(undefined);
    const claimsLeadership = (from: number, args: unknown) =>
      this.#checks.claimsLeadership(from, args, this.#clock.now());
    const { slots } = this.roster;
    this.#wiring = {
      net: this.net,
      links: this.links,
      ...env,
      founders: this.members,
      slots,
      claimsLeadership,
    };
    for (let i = 0; i < this.members; i++) this.start(i);
  }

  /** The current members (see `Roster`): founders, added ones and those joining, not the removed. */
  all(): number[] {
    return this.roster.current();
  }

  /** Every id that ever ran (founders and the spares started), removed members included. */
  everyone(): number[] {
    return this.roster.everStarted();
  }

  /**
   * Starts the next spare id as a new, empty member that joins the running cluster (a leader
   * must still add it); undefined when every spare is used.
   */
  startSpare(): number | undefined {
    const id = this.roster.takeSpare();
    if (id !== undefined) this.start(id);
    return id;
  }

  /** Starts member i (a new incarnation from its durable state); a running one is crashed first. */
  start(i: number): void {
    this.crash(i);
    let live: Live | undefined;
    const current = () => live !== undefined && this.#live[i] === live;
    let storage: RecordingStorage<unknown> | undefined;
    const incarnation = wireIncarnation(i, this.#wiring, (transport, clock) => {
      storage = new RecordingStorage(this.storage.start(i) as MemberStorage<unknown>);
      return this.#factory({
        id: i,
        peerCount: this.members,
        // Founders start the cluster; a spare joins it with no configuration until it is added.
        members: i < this.members ? Array.from({ length: this.members }, (_, j) => j) : [],
        transport,
        storage: storage as MemberStorage<Command>,
        clock,
        random: this.#random,
        onError: (error) => {
          if (current() && !this.#isExpectedError(error))
            this.#checks.memberError(i, error, this.#clock.now());
        },
        onApplied: (index, result) => {
          if (current()) this.#checks.result(i, index, result, this.#clock.now());
        },
      });
    });
    live = { ...incarnation, id: i, storage: storage! };
    this.#live[i] = live;
    this.#checks.restarted(i);
  }

  /** Starts member i if it is down and still a member (a removed member stays down). */
  revive(i: number): void {
    if (!this.isUp(i) && !this.roster.isRetired(i)) this.start(i);
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

  /** One line per member that ever ran: up or down, term, leading, commit index, configuration. */
  describe(): string {
    return this.everyone()
      .map((i) => {
        const raft = this.#live[i]?.member.raft;
        if (!raft || raft.killed) return `member ${i}: ${raft ? "stopped" : "down"}`;
        const { term, isLeader } = raft.getState();
        const config = raft.membership ? `, ${describeMembership(raft.membership)}` : "";
        return `member ${i}: ${isLeader ? "leader" : "up"}${this.isPaused(i) ? " (paused)" : ""}, term ${term}, commit ${raft.commitIndex}${config}`;
      })
      .join("; ");
  }

  /** The running, unpaused member that leads in the highest term, if any. */
  leader(): number | undefined {
    let best: { i: number; term: number } | undefined;
    for (let i = 0; i < this.roster.slots; i++) {
      if (!this.isUp(i) || this.isPaused(i)) continue;
      const { term, isLeader } = this.#live[i]!.member.raft.getState();
      if (isLeader && (!best || term > best.term)) best = { i, term };
    }
    return best?.i;
  }

  /** Fresh ends for a new client, one per id (end j reaches member j once it runs), never cut off. */
  clientEnds(): CallableEnd[] {
    return Array.from({ length: this.roster.slots }, (_, j) => {
      const name = randomName(this.#random, 20);
      const end = this.net.makeEnd(name);
      this.net.connect(name, j);
      this.net.enable(name, true);
      return this.links.wrap(end, "client", j, () => undefined);
    });
  }

  /**
   * Runs the raft-level checkers over every member that runs (removed ones too: their applied
   * prefix must agree) and moves the roster to the latest configuration seen committed;
   * returns what the checkers found so far.
   */
  check(): readonly Violation[] {
    const now = this.#clock.now();
    for (const live of this.#live) {
      if (live) this.#checks.observe(live.id, live.member.raft, (k) => live.storage.entry(k), now);
    }
    this.#checks.moveRoster(this.roster);
    return this.#checks.violations;
  }

  get violations(): readonly Violation[] {
    return this.#checks.violations;
  }

  /** Entries the checkers have seen committed. */
  get committedCount(): number {
    return this.#checks.committedCount;
  }

  /** The command committed at `index`, as far as the checkers have seen. */
  committed(index: number): unknown {
    return this.#checks.committed(index)?.command;
  }

  /** Stops every member and the network. */
  close(): void {
    for (const live of this.#live) live?.member.kill();
    this.net.cleanup();
  }
}
