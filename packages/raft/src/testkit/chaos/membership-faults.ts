import { isVoter, type MembershipChange } from "../../core/membership.js";
import type { Random } from "../../interfaces.js";
import type { ActiveFault, FaultContext } from "./faults.js";
import { pick } from "./members.js";
import { describeChange, type MembershipDriver } from "./membership-driver.js";

/** Membership faults: drawn only when the cluster has spare ids (`runChaos({ spares })`). */
export const MEMBERSHIP_FAULTS = [
  "add-member",
  "remove-follower",
  "remove-leader",
  "replace-member",
  "change-crash-leader",
  "grow-by-two",
] as const;

export type MembershipFault = (typeof MEMBERSHIP_FAULTS)[number];

/**
 * The nemesis never removes a voter when fewer than this many would be left (it adds a member
 * first): the faults it combines a change with assume a majority can survive one more fault.
 */
export const MIN_VOTERS = 3;

const NOTHING = (): void => {};

/** Queues `procedure` on the driver; the step's text says what was asked. */
function queued(
  ctx: FaultContext,
  text: string,
  procedure: (d: MembershipDriver) => Promise<void>,
): ActiveFault {
  const d = ctx.membership;
  if (!d) return { text: "(no spare ids in this run: membership change skipped)", heal: NOTHING };
  d.enqueue(text, () => procedure(d));
  return { text: `${text} (queued behind any change in progress)`, heal: NOTHING, lasting: true };
}

/** Starts a spare, adds it as a learner, and sees it promoted (automatically or on request). */
async function addMember(d: MembershipDriver, auto: boolean): Promise<number | undefined> {
  const id = d.cluster.startSpare();
  if (id === undefined) {
    d.note("no spare id left: nothing added");
    return undefined;
  }
  d.note(`member ${id} started empty, to join the cluster`);
  if (!(await d.change({ kind: "add-learner", id, autoPromote: auto }))) {
    d.cluster.roster.giveUp(id);
    d.cluster.crash(id);
    d.note(`gave up adding member ${id}; stopped it`);
    return undefined;
  }
  if (!auto) await d.change({ kind: "promote", id });
  else if (await d.until(() => isVoter(d.cluster.roster.committed, id)))
    d.note(`member ${id} promoted automatically: voters ${d.cluster.roster.committed.voters.join(",")}`);
  return id;
}

/** Removes `choose()`'s member, first adding members so that at least MIN_VOTERS voters remain. */
async function removeMember(
  d: MembershipDriver,
  random: Random,
  choose: () => number | undefined,
): Promise<void> {
  while (d.cluster.roster.committed.voters.length - 1 < MIN_VOTERS) {
    d.note(`removing a voter would leave fewer than ${MIN_VOTERS}: adding one first`);
    if ((await addMember(d, random.int(2) === 0)) === undefined) return;
  }
  if (!(await d.until(() => choose() !== undefined))) return;
  const target = choose()!;
  if (!(await d.change({ kind: "remove", id: target }))) return;
  if (random.int(3) !== 0 || !(await d.until(() => d.cluster.roster.isRetired(target)))) return;
  // A removed member restarted from its disk must not disrupt the cluster (it may campaign).
  d.cluster.start(target);
  d.note(`removed member ${target} restarted from its disk: it must not disrupt the cluster`);
}

const voters = (ctx: FaultContext): readonly number[] => ctx.cluster.roster.committed.voters;

export const MEMBERSHIP_INJECTORS: Record<MembershipFault, (ctx: FaultContext) => ActiveFault> = {
  "add-member": (ctx) => {
    const auto = ctx.random.int(2) === 0;
    return queued(ctx, `add a member (${auto ? "automatic" : "on-request"} promotion)`, async (d) => {
      await addMember(d, auto);
    });
  },
  "remove-follower": (ctx) =>
    queued(ctx, "remove a follower", (d) =>
      removeMember(d, ctx.random, () => {
        const leader = d.cluster.leader();
        return pick(ctx.random, voters(ctx), 1, leader === undefined ? [] : [leader])[0];
      }),
    ),
  "remove-leader": (ctx) =>
    queued(ctx, "remove the leader (it hands over)", (d) =>
      removeMember(d, ctx.random, () => {
        const leader = d.cluster.leader();
        return leader !== undefined && voters(ctx).includes(leader) ? leader : undefined;
      }),
    ),
  "replace-member": (ctx) =>
    queued(ctx, "replace a member whose disk is gone", async (d) => {
      const victim = pick(ctx.random, voters(ctx), 1)[0]!;
      d.cluster.crash(victim);
      d.note(`member ${victim} crashed for good (its disk is gone): adding a new member, then removing it`);
      if ((await addMember(d, ctx.random.int(2) === 0)) !== undefined)
        await d.change({ kind: "remove", id: victim });
    }),
  "change-crash-leader": (ctx) => changeThenCrashLeader(ctx),
  "grow-by-two": (ctx) => growByTwo(ctx),
};

/** For a fault that asks the leader itself (not through the driver's queue): who leads, now. */
function leaderToAsk(ctx: FaultContext) {
  const d = ctx.membership;
  const leader = ctx.cluster.leader();
  const raft = leader === undefined ? undefined : ctx.cluster.member(leader)?.raft;
  const changeMembership = raft?.changeMembership?.bind(raft);
  if (!d || leader === undefined || !changeMembership) return undefined;
  return { d, leader, raft: { changeMembership } };
}

/** Asks the leader for one change and crashes it at once: the change may or may not survive. */
function changeThenCrashLeader(ctx: FaultContext): ActiveFault {
  const asking = leaderToAsk(ctx);
  if (!asking) return { text: "(no leader or no spare ids: change-crash-leader skipped)", heal: NOTHING };
  const { d, leader, raft } = asking;
  let change: MembershipChange | undefined;
  const spare =
    voters(ctx).length > MIN_VOTERS && ctx.random.int(2) === 0 ? undefined : ctx.cluster.startSpare();
  if (spare !== undefined) change = { kind: "add-learner", id: spare, autoPromote: true };
  else if (voters(ctx).length > MIN_VOTERS)
    change = { kind: "remove", id: pick(ctx.random, voters(ctx), 1, [leader])[0]! };
  if (!change)
    return { text: "(no spare id left and no voter to spare: change-crash-leader skipped)", heal: NOTHING };
  const asked = change;
  raft.changeMembership(asked).catch(NOTHING);
  ctx.cluster.crash(leader);
  d.enqueue(`finish: ${describeChange(asked)}`, async () => {
    await d.change(asked);
    if (asked.kind === "add-learner") await d.until(() => isVoter(d.cluster.roster.committed, asked.id));
  });
  return {
    text: `asked leader ${leader} to ${describeChange(asked)}, then crashed it before the change could commit`,
    heal: () => ctx.cluster.revive(leader),
  };
}

/**
 * An impatient operator: asks the leader for two new voters at once (two learners, two
 * promotions, without waiting). Raft must take one change at a time and refuse the rest as
 * pending; the driver then makes the refused ones in turn.
 */
function growByTwo(ctx: FaultContext): ActiveFault {
  const asking = leaderToAsk(ctx);
  if (!asking) return { text: "(no leader or no spare ids: grow-by-two skipped)", heal: NOTHING };
  const { d, leader, raft } = asking;
  if (ctx.cluster.roster.sparesLeft() < 2)
    return { text: "(fewer than two spare ids left: grow-by-two skipped)", heal: NOTHING };
  const [a, b] = [ctx.cluster.startSpare()!, ctx.cluster.startSpare()!];
  const changes: MembershipChange[] = [
    { kind: "add-learner", id: a },
    { kind: "add-learner", id: b },
    { kind: "promote", id: a },
    { kind: "promote", id: b },
  ];
  for (const change of changes) {
    raft.changeMembership(change).then(
      () => d.note(`leader ${leader}: ${describeChange(change)}: committed`),
      (error: unknown) =>
        d.note(
          `leader ${leader}: ${describeChange(change)}: ${error instanceof Error ? error.name : String(error)}`,
        ),
    );
  }
  d.enqueue(`grow by members ${a} and ${b}`, async () => {
    for (const change of changes) if (!(await d.change(change))) return;
  });
  return {
    text: `asked leader ${leader} for four changes at once: add members ${a} and ${b}, promote both`,
    heal: NOTHING,
    lasting: true,
  };
}
