import { type MemberFactory, raftMember } from "../../src/testkit/index.js";

/**
 * A deliberately broken member for a negative control: it answers RequestVote, then forgets
 * whom it voted for (as if the vote were never recorded), so it can vote twice in one term.
 */
export function forgetsItsVotes(): MemberFactory<string> {
  const honest = raftMember<string>();
  return (ctx) => {
    let handler: ((method: string, args: unknown) => unknown) | undefined;
    const member = honest({
      ...ctx,
      transport: {
        call: (to, method, args) => ctx.transport.call(to, method, args),
        listen: (h) => (handler = h),
      },
    });
    // RaftCore keeps the vote in a private field; the bug is to clear it after each vote.
    const core = (member.raft as unknown as { core: { votedFor: number | null } }).core;
    ctx.transport.listen((method, args) => {
      const reply = handler!(method, args);
      if (method === "RequestVote") core.votedFor = null;
      return reply;
    });
    return member;
  };
}
