import { readFileSync, writeFileSync } from "node:fs";
import type { RaftConfig } from "../../src/config.js";
import { describeMembership } from "../../src/core/membership.js";
import { type CoreOptions, RaftCore } from "../../src/core/raft-core.js";
import type { ReadState } from "../../src/core/read-only.js";
import type { TransferOutcome } from "../../src/core/transfer.js";
import type {
  AppendEntriesArgs,
  InstallSnapshotArgs,
  OutgoingMessage,
  RequestVoteArgs,
} from "../../src/messages.js";

/** Timing for the scenarios: 100 ms heartbeats, 400–800 ms election timeouts. */
const TIMING = { heartbeatIntervalMs: 100, electionTimeoutMinMs: 400, electionTimeoutMaxMs: 800 };

export interface ScenarioOptions {
  members: number;
  config?: Partial<RaftConfig>;
  /** Per member: how fast its clock runs against the scenario's (1: exact). */
  clockRates?: number[];
  /** Builds each member's core (default: a RaftCore); a negative control swaps in a broken one. */
  makeCore?: (options: CoreOptions<string>) => RaftCore<string>;
}

/**
 * Several RaftCores on a network the test controls, in the style of etcd-io/raft's interaction
 * tests: time advances in 10 ms steps; each step ticks every live member and delivers every
 * message (and its reply) at once over the links that are up. Role, term and leader changes go
 * into a transcript, with the test's own notes, to be compared with `test/scenarios/<rule>.txt`.
 * Election timeouts are spread by member id (member 0 times out first), so runs are repeatable.
 */
export class Scenario {
  readonly cores: RaftCore<string>[] = [];
  readonly lines: string[] = [];
  /** Every read outcome, by member. */
  readonly reads: ReadState[][] = [];
  /** Every leadership transfer outcome, by member. */
  readonly transfers: TransferOutcome[][] = [];
  now = 0;
  private readonly down = new Set<number>();
  private readonly cut = new Set<string>();
  private readonly rates: number[];
  /** Member i's clock read clockBase[i] at scenario time rateSince[i]. */
  private readonly clockBase: number[];
  private readonly rateSince: number[];
  private seen: string[] = [];
  private seenConfig: string[] = [];
  /** Drops the messages (and so their replies) it returns true for. */
  drop: ((from: number, to: number, method: string) => boolean) | undefined;
  /** The term of every entry any member has seen committed, by index: the safety oracle. */
  private readonly committed = new Map<number, { term: number; by: number }>();
  /** Committed entries that some member later held with another term (must stay empty). */
  readonly violations: string[] = [];

  constructor(readonly options: ScenarioOptions) {
    const n = options.members;
    this.rates = options.clockRates ?? new Array<number>(n).fill(1);
    this.clockBase = new Array<number>(n).fill(0);
    this.rateSince = new Array<number>(n).fill(0);
    const founders = Array.from({ length: n }, (_, id) => id);
    for (let id = 0; id < n; id++) this.addCore(founders);
    this.record();
  }

  /**
   * Starts a new, empty member with the next id, which joins an existing cluster (it knows no
   * configuration until a leader adds it and sends it the log). Returns its id.
   */
  join(): number {
    const id = this.addCore([]);
    this.rates.push(1);
    this.clockBase.push(this.now);
    this.rateSince.push(this.now);
    this.note(`n${id} starts empty, to join`);
    return id;
  }

  private addCore(members: number[]): number {
    const id = this.cores.length;
    const spread = Math.max(this.options.members, id + 1);
    // Member i's timeouts sit at min + i/n of the range: deterministic and distinct.
    const random = { float: () => id / spread, int: (k: number) => Math.floor((k * id) / spread) };
    const config = { ...TIMING, ...this.options.config };
    const options = { id, members, random, now: this.now, config };
    this.cores.push(this.options.makeCore?.(options) ?? new RaftCore<string>(options));
    this.reads.push([]);
    this.transfers.push([]);
    this.seen.push("");
    this.seenConfig.push(describeMembership(this.cores[id]!.membership));
    return id;
  }

  /** Whether member i was stopped because a committed configuration removed it. */
  stopped(i: number): boolean {
    return this.cores[i]!.removed;
  }

  /** Member i's clock. */
  clock(i: number): number {
    return this.clockBase[i]! + (this.now - this.rateSince[i]!) * this.rates[i]!;
  }

  /** From now on member i's clock runs at `rate` (continuing from what it reads now). */
  setClockRate(i: number, rate: number): void {
    this.clockBase[i] = this.clock(i);
    this.rateSince[i] = this.now;
    this.rates[i] = rate;
  }

  note(text: string): void {
    this.lines.push(`${String(this.now).padStart(6)} ms  -- ${text}`);
  }

  /** Cuts (or restores) both directions between a and b. */
  link(a: number, b: number, up: boolean): void {
    for (const key of [`${a}>${b}`, `${b}>${a}`]) up ? this.cut.delete(key) : this.cut.add(key);
  }

  /** Splits the members into groups that only reach inside themselves. */
  partition(...groups: number[][]): void {
    this.heal();
    const groupOf = new Map<number, number>();
    groups.forEach((g, k) => {
      for (const m of g) groupOf.set(m, k);
    });
    for (let a = 0; a < this.cores.length; a++)
      for (let b = 0; b < this.cores.length; b++)
        if (a !== b && groupOf.get(a) !== groupOf.get(b)) this.cut.add(`${a}>${b}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /** A crashed member neither ticks nor answers; `revive` brings it back as it was. */
  crash(i: number): void {
    this.down.add(i);
  }

  revive(i: number): void {
    this.down.delete(i);
  }

  /** Advances time by `ms`, in 10 ms steps. */
  run(ms: number): void {
    for (let t = 0; t < ms; t += 10) {
      this.now += 10;
      this.cores.forEach((core, i) => {
        if (!this.down.has(i) && !core.removed) core.tick(this.clock(i));
      });
      this.deliver();
      this.record();
    }
  }

  /** Runs until `done()` holds (checked every step), at most `ms`; returns whether it held. */
  runUntil(done: () => boolean, ms: number): boolean {
    for (let t = 0; t < ms && !done(); t += 10) this.run(10);
    return done();
  }

  /** The member that is leader of the highest term, if any. */
  leader(): number | undefined {
    let best: number | undefined;
    this.cores.forEach((core, i) => {
      if (!this.down.has(i) && core.isLeader && (best === undefined || core.term > this.cores[best]!.term))
        best = i;
    });
    return best;
  }

  /** Delivers every pending message and reply until the network is quiet. */
  deliver(): void {
    for (let round = 0; round < 1000; round++) {
      let moved = false;
      this.cores.forEach((core, from) => {
        if (this.down.has(from) || !core.hasReady) return;
        // A removed member's last messages go out (the driver sends them before it stops).
        const ready = core.takeReady();
        this.reads[from]!.push(...ready.reads);
        this.transfers[from]!.push(...ready.transfers);
        for (const message of ready.messages) {
          moved = true;
          this.send(from, message);
        }
      });
      this.record();
      if (!moved) return;
    }
    throw new Error("the network never went quiet");
  }

  private send(from: number, message: OutgoingMessage<string>): void {
    const to = message.to;
    if (this.down.has(to) || this.cut.has(`${from}>${to}`)) return;
    if (this.drop?.(from, to, message.method)) return;
    const target = this.cores[to];
    if (!target || target.removed) return; // not started, or stopped for good
    const source = this.cores[from]!;
    const back = !this.cut.has(`${to}>${from}`);
    switch (message.method) {
      case "RequestVote": {
        const reply = target.handleRequestVote(message.args as RequestVoteArgs, this.clock(to));
        if (back) source.onRequestVoteReply(to, message.args, reply, this.clock(from));
        break;
      }
      case "AppendEntries": {
        const args = message.args as AppendEntriesArgs<string>;
        const reply = target.handleAppendEntries(args, this.clock(to));
        if (back) source.onAppendEntriesReply(to, args, reply, this.clock(from));
        break;
      }
      case "InstallSnapshot": {
        const args = message.args as InstallSnapshotArgs;
        const reply = target.handleInstallSnapshot(args, this.clock(to));
        if (back) source.onInstallSnapshotReply(to, args, reply, this.clock(from));
        break;
      }
      case "TimeoutNow": {
        const reply = target.handleTimeoutNow(message.args, this.clock(to));
        if (back) source.onTimeoutNowReply(to, message.args, reply, this.clock(from));
        break;
      }
    }
  }

  /** Checks that no member holds a committed entry with another term than when it committed. */
  private checkCommitted(): void {
    this.cores.forEach((core, i) => {
      for (let index = core.snapshotIndex + 1; index <= core.commitIndex; index++) {
        const term = core.termAt(index)!;
        const known = this.committed.get(index);
        if (known && known.term !== term && this.violations.length < 10) {
          this.violations.push(
            `index ${index}: committed with term ${known.term} on n${known.by}, n${i} holds term ${term}`,
          );
        }
        if (!known && index <= core.commitIndex) this.committed.set(index, { term, by: i });
      }
    });
  }

  private record(): void {
    this.checkCommitted();
    this.cores.forEach((core, i) => {
      const leader = core.leaderId === undefined ? "none" : String(core.leaderId);
      const config = describeMembership(core.membership);
      if (config !== this.seenConfig[i]) {
        this.seenConfig[i] = config;
        this.lines.push(`${String(this.now).padStart(6)} ms  n${i} uses ${config}`);
      }
      const state = core.removed ? "removed: stopped" : `${core.role} term ${core.term} leader ${leader}`;
      if (state === this.seen[i]) return;
      this.seen[i] = state;
      this.lines.push(`${String(this.now).padStart(6)} ms  n${i} ${state}`);
    });
  }
}

const REWRITE = process.env.RAFTKIT_REWRITE_SCENARIOS === "1";

/**
 * Compares a transcript with `test/scenarios/<name>.txt` (rewritten instead with
 * RAFTKIT_REWRITE_SCENARIOS=1; review the change with `git diff`). Throws with the first lines
 * that differ.
 */
export function expectTranscript(name: string, lines: readonly string[]): void {
  const file = new URL(`../scenarios/${name}.txt`, import.meta.url);
  const text = `${lines.join("\n")}\n`;
  if (REWRITE) {
    writeFileSync(file, text);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, "utf8");
  } catch {
    throw new Error(`no transcript test/scenarios/${name}.txt: run with RAFTKIT_REWRITE_SCENARIOS=1`);
  }
  if (expected === text) return;
  const want = expected.split("\n");
  const got = text.split("\n");
  const diff: string[] = [];
  for (let i = 0; i < Math.max(want.length, got.length) && diff.length < 20; i++) {
    if (want[i] === got[i]) continue;
    if (want[i] !== undefined) diff.push(`- ${want[i]}`);
    if (got[i] !== undefined) diff.push(`+ ${got[i]}`);
  }
  throw new Error(
    `transcript test/scenarios/${name}.txt differs (RAFTKIT_REWRITE_SCENARIOS=1 rewrites it):\n${diff.join("\n")}`,
  );
}
