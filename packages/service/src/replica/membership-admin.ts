import {
  type MembershipChange,
  LeadershipLostError as RaftLeadershipLostError,
  MemberIdRemovedError as RaftMemberIdRemovedError,
  MembershipChangeError as RaftMembershipChangeError,
  MembershipChangePendingError as RaftMembershipChangePendingError,
  type RaftNode,
  NotLeaderError as RaftNotLeaderError,
} from "@raftkit/raft";
import {
  LeadershipLostError,
  MalformedRequestError,
  MemberIdRemovedError,
  MembershipChangePendingError,
  MembershipChangeRefusedError,
  NotLeaderError,
} from "../errors.js";
import type { MembershipChangeDone, MembersView } from "../membership.js";

/** This replica's view of the configuration; a follower refuses (NotLeaderError) unless `anyReplica`. */
export function membersView(node: RaftNode<unknown>, anyReplica: boolean): MembersView {
  const isLeader = node.getState().isLeader;
  if (!isLeader && !anyReplica) throw new NotLeaderError(node.leaderId);
  return { id: node.id, isLeader, leaderId: node.leaderId, membership: node.membership };
}

const KINDS = new Set(["add-learner", "promote", "remove"]);
const MAX_ADDRESS_CHARS = 1024;

/**
 * Checks a change from the wire (a client's bytes never reach raft unchecked); throws
 * MalformedRequestError naming what is wrong. An address is kept as the text it is: the
 * transport that reads it checks its form (raftkit-kv: host:port).
 */
export function parseChange(value: unknown): MembershipChange {
  if (typeof value !== "object" || value === null)
    throw new MalformedRequestError('"change" must be an object');
  const { kind, id, address, autoPromote } = value as Record<string, unknown>;
  if (typeof kind !== "string" || !KINDS.has(kind))
    throw new MalformedRequestError(`unknown change ${String(kind)}: add-learner, promote or remove`);
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0)
    throw new MalformedRequestError(`member id must be a non-negative integer, got ${String(id)}`);
  if (kind !== "add-learner") return { kind: kind as "promote" | "remove", id };
  if (address !== undefined && (typeof address !== "string" || address.length > MAX_ADDRESS_CHARS))
    throw new MalformedRequestError(`an address must be text of at most ${MAX_ADDRESS_CHARS} characters`);
  return { kind, id, ...(address === undefined ? {} : { address }), autoPromote: autoPromote === true };
}

/** Makes `change` on this replica's raft node; its refusals are told as this layer's errors. */
export async function changeMembership(
  node: RaftNode<unknown>,
  change: MembershipChange,
): Promise<MembershipChangeDone> {
  try {
    const done = await node.changeMembership(change);
    return { index: done.index, membership: done.membership };
  } catch (error) {
    if (error instanceof RaftNotLeaderError) throw new NotLeaderError(error.leaderHint);
    // The change may or may not have committed: the client looks at the configuration.
    if (error instanceof RaftLeadershipLostError) throw new LeadershipLostError(0);
    if (error instanceof RaftMembershipChangePendingError)
      throw new MembershipChangePendingError(error.message);
    if (error instanceof RaftMemberIdRemovedError)
      throw new MemberIdRemovedError(error.id, error.suggestedId, error.message);
    if (error instanceof RaftMembershipChangeError) throw new MembershipChangeRefusedError(error.message);
    throw error;
  }
}
