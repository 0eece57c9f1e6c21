import { applyChange, type Membership, type MembershipChange } from "../../core/membership.js";
import { MembershipChangePendingError } from "../../errors.js";
import type { StartResult } from "../../types.js";
import type { MemberFactory } from "./member.js";

/** The parts of a RaftNode's core this test hook reaches into (private in raft). */
interface CoreInternals {
  changeMembership(change: MembershipChange, now: number): StartResult;
  appendConfig(next: Membership): StartResult;
  readonly membership: Membership;
}

/**
 * A TEST HOOK for negative controls, not a raft option: wraps a member factory whose members
 * are RaftNodes so that the leader never refuses a membership change as pending — it accepts a
 * second change while one is uncommitted, a change before its own term's first commit, and a
 * promotion of a learner still catching up. Configurations two changes apart have majorities
 * that need not overlap, so the chaos checkers should find two leaders or diverging logs.
 */
export function acceptsConcurrentChanges<Command>(factory: MemberFactory<Command>): MemberFactory<Command> {
  return (ctx) => {
    const member = factory(ctx);
    const core = (member.raft as unknown as { core?: CoreInternals }).core;
    if (!core) throw new TypeError("acceptsConcurrentChanges needs members whose raft is a RaftNode");
    const honest = core.changeMembership.bind(core);
    core.changeMembership = (change, now) => {
      try {
        return honest(change, now);
      } catch (error) {
        if (!(error instanceof MembershipChangePendingError)) throw error;
        const next = applyChange(core.membership, change);
        if (typeof next === "string") throw error;
        return core.appendConfig(next);
      }
    };
    return member;
  };
}
