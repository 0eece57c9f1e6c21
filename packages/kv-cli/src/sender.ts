import type { Identity } from "@raftkit/transport-tcp";

// Raft messages name their sender in their arguments (AppendEntries and InstallSnapshot a
// `leaderId`, RequestVote a `candidateId`), and raft believes them. The transport proves which
// member a connection is; this ties the two, so that member 0's certificate cannot send an
// AppendEntries as leader 2 or canvass votes for candidate 2.
const SENDER_FIELDS = ["leaderId", "candidateId"] as const;

/** Why a request must be refused because it names a sender other than its caller, or undefined. */
export function senderRefusal(method: string, args: unknown, caller: Identity): string | undefined {
  if (caller.role !== "member" || typeof args !== "object" || args === null) return undefined;
  for (const field of SENDER_FIELDS) {
    const named = (args as Record<string, unknown>)[field];
    if (named !== undefined && named !== caller.id) {
      return `member ${caller.id} sent ${method} with ${field} ${JSON.stringify(named)?.slice(0, 40)}`;
    }
  }
  return undefined;
}
