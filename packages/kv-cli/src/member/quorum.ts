import type { Membership } from "@raftkit/raft";
import type { PeerLinkError } from "@raftkit/transport-tcp";

/**
 * Why this member cannot reach a majority of the configuration's voters (one line per voter it
 * cannot reach), or undefined while it can. The voters in force count, not --peers (which
 * names only the founders): a cluster grown to 5 voters needs 3 of them, one shrunk to 2 needs
 * both. A member not yet added to a cluster knows no voters: it says so.
 */
export function quorumProblems(
  self: number,
  membership: Membership,
  failureOf: (id: number) => PeerLinkError | undefined,
): string[] | undefined {
  const { voters } = membership;
  if (voters.length === 0)
    return [`member ${self} knows no configuration yet: add it with raftkit-kv member add ${self} <address>`];
  const problems = voters.flatMap((id) => {
    const failure = id === self ? undefined : failureOf(id);
    if (!failure) return [];
    const why = failure.kind === "connection-refused" ? "connection refused" : failure.detail;
    return [`member ${id} at ${failure.address}: ${why}`];
  });
  const reachable = voters.length - problems.length;
  return reachable < Math.floor(voters.length / 2) + 1 ? problems : undefined;
}
