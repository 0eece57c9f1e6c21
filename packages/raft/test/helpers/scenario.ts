import { readFileSync, writeFileSync } from "node:fs";
import type { RaftConfig } from "../../src/config.js";
import { RaftCore } from "../../src/core/raft-core.js";
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

  constructor(readonly options: ScenarioOptions) {
    const n = options.members;
    this.rates = options.clockRates ?? new Array<number>(n).fill(1);
    this.clockBase = new Array<number>(n).fill(0);
    this.rateSince = new Array<number>(n).fill(0);
    for (let id = 0; id < n; id++) {
      // Member i's timeouts sit at min + i/n of the range: deterministic and distinct.
      const random = { float: () => id / n, int: (k: number) => Math.floor((k * id) / n) };
      const config = { ...TIMING, ...options.config };
      this.cores.push(new RaftCore<string>({ id, peerCount: n, random, now: 0, config }));
      this.reads.push([]);
      this.transfers.push([]);
      this.seen.push("");
    }
    this.record();
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
        if (!this.down.has(i)) core.tick(this.clock(i));
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
    const target = this.cores[to]!;
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

  private record(): void {
    this.cores.forEach((core, i) => {
      const leader = core.leaderId === undefined ? "none" : String(core.leaderId);
      const state = `${core.role} term ${core.term} leader ${leader}`;
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
