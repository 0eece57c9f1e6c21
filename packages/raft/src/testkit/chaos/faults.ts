import type { Clock, Random } from "../../interfaces.js";
import type { ChaosCluster } from "./chaos-cluster.js";
import { majority, pick, sides } from "./members.js";
import type { MembershipDriver } from "./membership-driver.js";
import { MEMBERSHIP_INJECTORS, type MembershipFault } from "./membership-faults.js";
import type { Timeline } from "./timeline.js";

/**
 * Every fault the nemesis knows besides membership changes (MEMBERSHIP_FAULTS, drawn only when
 * the run has spare ids, so that a schedule without them stays what it was for every seed).
 */
export const FAULT_KINDS = [
  "partition-majority",
  "partition-leader",
  "partition-bridge",
  "partition-one-way",
  "crash-one",
  "crash-leader",
  "crash-minority",
  "crash-majority",
  "crash-all",
  "crash-loop",
  "pause-one",
  "pause-leader",
  "pause-minority",
  "unreliable",
  "long-delays",
  "reorder",
  "duplicate",
  "slow-follower",
  "disk-eio",
  "disk-enospc",
  "disk-slow",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number] | MembershipFault;

/** Disk faults need a storage model with `faults`. */
export const DISK_FAULTS: readonly FaultKind[] = ["disk-eio", "disk-enospc", "disk-slow"];

/** A fault in force: what it did, in words, and how to undo exactly that. */
export interface ActiveFault {
  readonly text: string;
  heal(): void;
  /** Nothing to undo (a membership change stays made): the timeline shows no heal for it. */
  readonly lasting?: boolean;
}

export interface FaultContext {
  readonly cluster: ChaosCluster<unknown>;
  readonly random: Random;
  readonly clock: Clock;
  readonly timeline: Timeline;
  /** Runs membership procedures (only when the cluster has spare ids). */
  readonly membership: MembershipDriver | undefined;
}

type Injector = (ctx: FaultContext) => ActiveFault;

const leaderOrAny = (ctx: FaultContext): number =>
  ctx.cluster.leader() ?? pick(ctx.random, ctx.cluster.all(), 1)[0]!;

function crash(ctx: FaultContext, members: readonly number[], why: string): ActiveFault {
  for (const i of members) ctx.cluster.crash(i);
  return {
    text: `crash ${sides(members)}${why}`,
    heal: () => {
      for (const i of members) ctx.cluster.revive(i);
    },
  };
}

function pause(ctx: FaultContext, members: readonly number[], why: string): ActiveFault {
  for (const i of members) ctx.cluster.pause(i);
  return {
    text: `pause ${sides(members)}${why}`,
    heal: () => {
      for (const i of members) ctx.cluster.resume(i);
    },
  };
}

function partition(ctx: FaultContext, a: readonly number[], b: readonly number[], why: string): ActiveFault {
  return { text: `partition ${sides(a, b)}${why}`, heal: ctx.cluster.links.cutBetween(a, b) };
}

/** Faults pick among the current members (never a removed one, nor a spare not yet started). */
const pool = (ctx: FaultContext): number[] => ctx.cluster.all();
const n = (ctx: FaultContext): number => pool(ctx).length;

const INJECTORS: Record<FaultKind, Injector> = {
  ...MEMBERSHIP_INJECTORS,
  "partition-majority": (ctx) => {
    const big = pick(ctx.random, pool(ctx), majority(n(ctx)));
    return partition(
      ctx,
      big,
      ctx.cluster.all().filter((i) => !big.includes(i)),
      "",
    );
  },
  "partition-leader": (ctx) => {
    const leader = leaderOrAny(ctx);
    return partition(
      ctx,
      [leader],
      ctx.cluster.all().filter((i) => i !== leader),
      " (leader isolated)",
    );
  },
  "partition-bridge": (ctx) => {
    const [bridge, ...rest] = pick(ctx.random, pool(ctx), n(ctx));
    const half = Math.ceil(rest.length / 2);
    const fault = partition(ctx, rest.slice(0, half), rest.slice(half), ` (member ${bridge} bridges both)`);
    return fault;
  },
  "partition-one-way": (ctx) => {
    const from = leaderOrAny(ctx);
    const to = pick(ctx.random, pool(ctx), 1 + ctx.random.int(n(ctx) - 1), [from]);
    const undo = to.map((j) => ctx.cluster.links.cutLink(from, j));
    return {
      text: `one-way cut: ${from} -> ${sides(to)} lost (replies to their calls too)`,
      heal: () => {
        for (const u of undo) u();
      },
    };
  },
  "crash-one": (ctx) => crash(ctx, pick(ctx.random, pool(ctx), 1), ""),
  "crash-leader": (ctx) => crash(ctx, [leaderOrAny(ctx)], " (the leader)"),
  "crash-minority": (ctx) =>
    crash(ctx, pick(ctx.random, pool(ctx), n(ctx) - majority(n(ctx))), " (a minority)"),
  "crash-majority": (ctx) => crash(ctx, pick(ctx.random, pool(ctx), majority(n(ctx))), " (a majority)"),
  "crash-all": (ctx) => crash(ctx, ctx.cluster.all(), " (everyone)"),
  "crash-loop": (ctx) => crashLoop(ctx, pick(ctx.random, pool(ctx), 1)[0]!),
  "pause-one": (ctx) => pause(ctx, pick(ctx.random, pool(ctx), 1), ""),
  "pause-leader": (ctx) => pause(ctx, [leaderOrAny(ctx)], " (the leader)"),
  "pause-minority": (ctx) =>
    pause(ctx, pick(ctx.random, pool(ctx), n(ctx) - majority(n(ctx))), " (a minority)"),
  unreliable: (ctx) => {
    ctx.cluster.net.setReliable(false);
    return {
      text: "unreliable network (10% of requests and replies lost)",
      heal: () => ctx.cluster.net.setReliable(true),
    };
  },
  "long-delays": (ctx) => longDelays(ctx),
  reorder: (ctx) => {
    ctx.cluster.net.setLongReordering(true);
    return {
      text: "long reordering (2/3 of replies 0.2-2.2 s late)",
      heal: () => ctx.cluster.net.setLongReordering(false),
    };
  },
  duplicate: (ctx) => {
    const perMille = 100 + ctx.random.int(400);
    ctx.cluster.net.setDuplication(perMille);
    return { text: `duplicated requests (${perMille / 10}%)`, heal: () => ctx.cluster.net.setDuplication(0) };
  },
  "slow-follower": (ctx) => slowFollower(ctx),
  "disk-eio": (ctx) => diskFault(ctx, { kind: "eio" }),
  "disk-enospc": (ctx) => diskFault(ctx, { kind: "enospc" }),
  "disk-slow": (ctx) => diskFault(ctx, { kind: "slow-fsync", ms: 20 + ctx.random.int(300) }),
};

/** Applies a fault of `kind` to the cluster now. */
export function inject(kind: FaultKind, ctx: FaultContext): ActiveFault {
  return INJECTORS[kind](ctx);
}

function crashLoop(ctx: FaultContext, member: number): ActiveFault {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      ctx.cluster.crash(member);
      await ctx.clock.sleep(50 + ctx.random.int(300));
      if (stopped) return;
      ctx.cluster.revive(member);
      await ctx.clock.sleep(100 + ctx.random.int(700));
    }
  };
  void loop();
  return {
    text: `crash loop on member ${member} (down 50-350 ms, up 100-800 ms)`,
    heal: () => {
      stopped = true;
      ctx.cluster.revive(member);
    },
  };
}

function longDelays(ctx: FaultContext): ActiveFault {
  const links = ctx.cluster.all().flatMap((a) =>
    ctx.cluster
      .all()
      .filter((b) => b !== a)
      .map((b) => [a, b] as const),
  );
  const chosen = links.filter(() => ctx.random.int(2) === 0);
  const ms = 200 + ctx.random.int(1800);
  for (const [a, b] of chosen) ctx.cluster.links.delayLink(a, b, ms);
  return {
    text: `long delays: ${ms} ms on ${chosen.length} of ${links.length} links`,
    heal: () => {
      for (const [a, b] of chosen) ctx.cluster.links.delayLink(a, b, 0);
    },
  };
}

function slowFollower(ctx: FaultContext): ActiveFault {
  const leader = ctx.cluster.leader();
  const member = pick(ctx.random, pool(ctx), 1, leader === undefined ? [] : [leader])[0]!;
  const ms = 30 + ctx.random.int(400);
  ctx.cluster.links.slowMember(member, ms);
  const disk = ctx.cluster.storage.faults;
  disk?.inject(member, { kind: "slow-fsync", ms });
  return {
    text: `slow follower ${member}: +${ms} ms on its links${disk ? " and its fsyncs" : ""}`,
    heal: () => {
      ctx.cluster.links.slowMember(member, 0);
      disk?.heal(member);
    },
  };
}

function diskFault(
  ctx: FaultContext,
  fault: Parameters<NonNullable<ChaosCluster["storage"]["faults"]>["inject"]>[1],
): ActiveFault {
  const disk = ctx.cluster.storage.faults;
  const member = pick(ctx.random, pool(ctx), 1)[0]!;
  if (!disk) return { text: `(no disk faults in this storage: ${fault.kind} skipped)`, heal: () => {} };
  disk.inject(member, fault);
  return {
    text: `disk fault on member ${member}: ${fault.kind}${"ms" in fault ? ` ${fault.ms} ms` : ""}`,
    heal: () => {
      disk.heal(member);
      ctx.cluster.revive(member);
    },
  };
}
