import { setMaxListeners } from "node:events";
import type { DeployOptions } from "../scenario.js";
import { longestGapAfter } from "../workload.js";
import { MemberCluster } from "./member-cluster.js";

/** The kinds of change measured, each from a fresh 3-voter cluster ("none" is the baseline). */
export const CHANGE_KINDS = [
  "none",
  "add-learner",
  "promote",
  "remove-follower",
  "remove-leader",
  "replace",
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What each kind does, for the help and the table's notes. */
export const CHANGE_DESCRIPTIONS: Readonly<Record<ChangeKind, string>> = {
  none: "no change: the baseline",
  "add-learner": "a new empty member (serve --join) is added as a learner and catches up",
  promote: "a caught-up learner (added before the window) becomes a voter",
  "remove-follower": "a follower is removed and stops itself",
  "remove-leader": "the leader is removed: it hands over once the change commits, and stops",
  replace:
    "a follower killed (-9) before the window is replaced: a new member is added, promoted once caught up, and the dead one removed",
};

/** One run of one kind of change under steady writes. */
export interface StallRun {
  change: ChangeKind;
  /** Acknowledged writes per second in the window before the change, and from its start to the window's end. */
  opsPerSecBefore: number;
  opsPerSecDuring: number;
  /** Longest time without an acknowledged write: in the window before, and from the change's start on. */
  gapMsBefore: number;
  gapMsDuring: number;
  /** From the first change request to the last one's commit, in ms. */
  changeMs: number;
  /** Writes acknowledged in the whole run. */
  writes: number;
  /** The configuration after the change. */
  voters: number[];
  learners: number[];
}

export interface StallOptions extends DeployOptions {
  clients: number;
  keys: number;
  valueBytes: number;
  warmupMs: number;
  /** The window before the change, and at least the window from its start (longer if the change takes longer). */
  windowMs: number;
  limitMs: number;
}

const JOINER = 3;

/**
 * Three founders serve `clients` closed-loop clients putting `valueBytes` values; after a
 * warm-up and a window of plain writes, `kind` is made, and the writes go on for a window from
 * its start (at least a quarter window after it commits). Each acknowledged put's time is kept.
 */
export async function measureStall(kind: ChangeKind, options: StallOptions): Promise<StallRun> {
  const cluster = await MemberCluster.start({ ...options, founders: 3, members: 4 });
  const stop = new AbortController();
  // Every client's call listens to it (and the service client's retries under it).
  setMaxListeners(16 * options.clients, stop.signal);
  const acks: number[] = [];
  try {
    if (kind === "add-learner" || kind === "promote" || kind === "replace") await cluster.startJoiner(JOINER);
    if (kind === "promote")
      await cluster.change({ kind: "add-learner", id: JOINER, address: address(cluster) });
    let dead: number | undefined;
    if (kind === "replace") {
      dead = follower(await cluster.leader());
      cluster.kill(dead);
    }
    const value = "v".repeat(options.valueBytes);
    let warmClients = 0;
    const writers = cluster.makeClients(options.clients).map(async (client) => {
      for (let n = 1; !stop.signal.aborted; n++) {
        const key = `k${Math.floor(Math.random() * options.keys)}`;
        try {
          await client.put(key, value, { signal: stop.signal });
        } catch (error) {
          if (stop.signal.aborted) return;
          throw error;
        }
        acks.push(performance.now());
        if (n === 1) warmClients++;
      }
    });
    const failed = Promise.all(writers).then(
      () => undefined,
      (error: unknown) => error ?? new Error("a writer failed"),
    );
    // The window before the change opens once the warm-up has passed and every client has
    // completed a write (at most 30 s): under load a fresh cluster's first writes (connections,
    // sessions, cold code) outlasted a fixed warm-up and left the window with no write at all.
    const giveUpAt = performance.now() + Math.max(options.warmupMs, 30_000);
    await sleep(options.warmupMs);
    while (warmClients < options.clients && performance.now() < giveUpAt) await sleep(10);
    const before = performance.now();
    await sleep(options.windowMs);
    const changeAt = performance.now();
    await change(cluster, kind, dead);
    const doneAt = performance.now();
    await sleep(Math.max(changeAt + options.windowMs, doneAt + options.windowMs / 4) - performance.now());
    const end = performance.now();
    stop.abort();
    const error = await failed;
    if (error) throw error;
    const { voters, learners } = await cluster.membership();
    const count = (from: number, to: number) => acks.filter((t) => t >= from && t < to).length;
    return {
      change: kind,
      opsPerSecBefore: (count(before, changeAt) * 1000) / (changeAt - before),
      opsPerSecDuring: (count(changeAt, end) * 1000) / (end - changeAt),
      gapMsBefore: longestGapAfter(acks, before, changeAt),
      gapMsDuring: longestGapAfter(acks, changeAt, end),
      changeMs: doneAt - changeAt,
      writes: acks.length,
      voters: [...voters],
      learners: [...learners],
    };
  } finally {
    stop.abort();
    await cluster.close();
  }
}

async function change(cluster: MemberCluster, kind: ChangeKind, dead: number | undefined): Promise<void> {
  switch (kind) {
    case "none":
      return;
    case "add-learner":
      await cluster.change({ kind: "add-learner", id: JOINER, address: address(cluster) });
      return;
    case "promote":
      await cluster.change({ kind: "promote", id: JOINER });
      return;
    case "remove-follower":
      await cluster.change({ kind: "remove", id: follower(await cluster.leader()) });
      return;
    case "remove-leader":
      await cluster.change({ kind: "remove", id: await cluster.leader() });
      return;
    case "replace":
      await cluster.change({ kind: "add-learner", id: JOINER, address: address(cluster), autoPromote: true });
      await cluster.until(`member ${JOINER} promoted`, async () =>
        (await cluster.membership()).voters.includes(JOINER) ? true : undefined,
      );
      await cluster.change({ kind: "remove", id: dead! });
      return;
  }
}

/** A founder other than the leader. */
const follower = (leader: number): number => (leader + 1) % 3;
const address = (cluster: MemberCluster): string => cluster.addresses[JOINER]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
