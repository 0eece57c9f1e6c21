import type { MembershipChange } from "@raftkit/raft";
import { MembershipChangeRefusedError, ServiceProtocolError } from "../errors.js";
import { isMembersView, type MembershipChangeDone, type MembersView, showsChange } from "../membership.js";
import { SERVICE_METHODS } from "../wire.js";

/** What one call learnt beyond its answer: whether an attempt's outcome is unknown. */
export interface Attempts {
  /** An attempt got no answer, or lost its leader: it may have taken effect. */
  uncertain: boolean;
}

/** The reply of Service.Members, checked. */
export function asMembersView(value: unknown): MembersView {
  if (!isMembersView(value)) throw new ServiceProtocolError(SERVICE_METHODS.members, value);
  return value;
}

/**
 * Sends `change` until the leader commits it (`send` retries as every call does). A refusal
 * after an attempt whose outcome is unknown is checked against the leader's configuration: a
 * removed leader may stop before its answer goes out, and the retry is then refused ("not in
 * the configuration") although the change was made.
 */
export async function changeOrConfirm(
  change: MembershipChange,
  send: (attempts: Attempts) => Promise<unknown>,
  members: () => Promise<MembersView>,
): Promise<MembershipChangeDone> {
  const attempts = { uncertain: false };
  try {
    const done = (await send(attempts)) as MembershipChangeDone;
    return { index: done.index, membership: done.membership };
  } catch (error) {
    if (!(error instanceof MembershipChangeRefusedError) || !attempts.uncertain) throw error;
    const view = await members();
    if (showsChange(view.membership, change)) return { index: undefined, membership: view.membership };
    throw error;
  }
}
