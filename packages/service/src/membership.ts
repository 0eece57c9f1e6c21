import { isMembership, type Membership, type MembershipChange, type PeerId } from "@raftkit/raft";

/** A replica's view of the cluster's configuration: what `Service.Members` answers. */
export interface MembersView {
  /** The replica that answered, whether it leads, and the leader it knows of. */
  readonly id: PeerId;
  readonly isLeader: boolean;
  readonly leaderId: PeerId | undefined;
  /** The latest configuration in its log (committed or not), with members' recorded addresses. */
  readonly membership: Membership;
}

/** A membership change committed: where, and the configuration it set. */
export interface MembershipChangeDone {
  /**
   * The log index of the change; undefined when the first answer was lost and the leader's
   * configuration showed the change made (by that lost attempt).
   */
  readonly index: number | undefined;
  readonly membership: Membership;
}

/** Whether `value` (from the wire) is a MembersView. */
export function isMembersView(value: unknown): value is MembersView {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "number" && typeof v.isLeader === "boolean" && isMembership(v.membership);
}

/** Whether `membership` already shows `change` made. */
export function showsChange(membership: Membership, change: MembershipChange): boolean {
  const member = membership.voters.includes(change.id) || membership.learners.includes(change.id);
  if (change.kind === "add-learner") return member;
  if (change.kind === "promote") return membership.voters.includes(change.id);
  return !member;
}
