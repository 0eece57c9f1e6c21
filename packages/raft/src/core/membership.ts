import type { PeerId } from "../interfaces.js";

/**
 * Who takes part in the cluster, as stored in configuration entries and snapshots. Member ids
 * are stable, operator-chosen non-negative integers (a cluster started with `peerCount: n` has
 * voters 0..n-1); an id is never reused for a different machine's disk.
 * - `voters` elect the leader and make up the quorums.
 * - `learners` receive the log but do not vote; they are promoted once caught up.
 * - `autoPromote`: learners the leader promotes on its own once they have caught up.
 * - `addresses`: where members listen, as given when they were added (the transport learns
 *   them from here); raft itself never reads them. A removed member's address stays (its id is
 *   never reused).
 * - `removed`: every id a change has removed, so that none is ever added again (etcd refuses a
 *   removed id too): a stale process or disk under that id would otherwise count as the new
 *   member. Absent in configurations written before it existed (none removed then).
 * Lists are sorted and disjoint (voters, learners and removed); `autoPromote` is a subset of
 * `learners`.
 */
export interface Membership {
  readonly voters: readonly PeerId[];
  readonly learners: readonly PeerId[];
  readonly autoPromote: readonly PeerId[];
  readonly addresses: readonly MemberAddress[];
  readonly removed?: readonly PeerId[];
}

export interface MemberAddress {
  readonly id: PeerId;
  readonly address: string;
}

/** One single-server change (see README: why single-server changes, not joint consensus). */
export type MembershipChange =
  /** Adds a non-voting member; with `autoPromote` the leader makes it a voter once caught up. */
  | {
      readonly kind: "add-learner";
      readonly id: PeerId;
      readonly address?: string;
      readonly autoPromote?: boolean;
    }
  /** Makes a caught-up learner a voter. */
  | { readonly kind: "promote"; readonly id: PeerId }
  /** Removes a voter or a learner (the leader included: it hands over once the change commits). */
  | { readonly kind: "remove"; readonly id: PeerId };

export const EMPTY_MEMBERSHIP: Membership = Object.freeze({
  voters: [],
  learners: [],
  autoPromote: [],
  addresses: [],
});

export const isMemberId = (id: unknown): id is PeerId =>
  typeof id === "number" && Number.isSafeInteger(id) && id >= 0;

const sorted = (ids: Iterable<PeerId>): PeerId[] => [...new Set(ids)].sort((a, b) => a - b);

/** A configuration of voters only (a new cluster's, from its initial member list). */
export function votersOnly(voters: Iterable<PeerId>): Membership {
  return { voters: sorted(voters), learners: [], autoPromote: [], addresses: [] };
}

export function isVoter(m: Membership, id: PeerId): boolean {
  return m.voters.includes(id);
}

export function isMember(m: Membership, id: PeerId): boolean {
  return m.voters.includes(id) || m.learners.includes(id);
}

/** Voters and learners, sorted. */
export function membersOf(m: Membership): PeerId[] {
  return sorted([...m.voters, ...m.learners]);
}

/** Whether a change removed `id` from this cluster (it can never be added again). */
export function wasRemoved(m: Membership, id: PeerId): boolean {
  return m.removed?.includes(id) ?? false;
}

/** The lowest id above every id this configuration has known: one to give a new member. */
export function nextFreeId(m: Membership): PeerId {
  const known = [...m.voters, ...m.learners, ...(m.removed ?? []), ...m.addresses.map((a) => a.id)];
  return known.length === 0 ? 0 : Math.max(...known) + 1;
}

/** Why `id` cannot be added: it was removed (a sentence that says what to do). */
export function removedIdReason(m: Membership, id: PeerId): string {
  return `member ${id} was removed from this cluster and an id is never reused (its old data could pass for the new member's); pick a new id, for example ${nextFreeId(m)}`;
}

/** The address recorded for `id`, if any. */
export function addressOf(m: Membership, id: PeerId): string | undefined {
  return m.addresses.find((a) => a.id === id)?.address;
}

/**
 * Why `change` cannot apply to `m` (a sentence naming the member and what to do), or the
 * configuration it leads to. Pure: the leader's own checks (one change at a time, catching up)
 * come on top.
 */
export function applyChange(m: Membership, change: MembershipChange): Membership | string {
  const { id } = change;
  if (!isMemberId(id)) return `member id must be a non-negative integer, got ${String(id)}`;
  const without = (ids: readonly PeerId[]) => ids.filter((x) => x !== id);
  switch (change.kind) {
    case "add-learner": {
      if (isMember(m, id))
        return `member ${id} is already in the configuration; remove it first or choose another id`;
      if (wasRemoved(m, id)) return removedIdReason(m, id);
      const others = m.addresses.filter((a) => a.id !== id);
      const addresses =
        change.address === undefined
          ? others
          : [...others, { id, address: change.address }].sort((a, b) => a.id - b.id);
      return {
        voters: m.voters,
        learners: sorted([...m.learners, id]),
        autoPromote: change.autoPromote ? sorted([...m.autoPromote, id]) : m.autoPromote,
        addresses,
        ...(m.removed ? { removed: m.removed } : {}),
      };
    }
    case "promote":
      if (isVoter(m, id)) return `member ${id} is already a voter`;
      if (!m.learners.includes(id)) return `member ${id} is not a learner in the configuration; add it first`;
      return {
        voters: sorted([...m.voters, id]),
        learners: without(m.learners),
        autoPromote: without(m.autoPromote),
        addresses: m.addresses,
        ...(m.removed ? { removed: m.removed } : {}),
      };
    case "remove":
      if (!isMember(m, id))
        return `member ${id} is not in the configuration (members: ${membersOf(m).join(", ")})`;
      if (m.voters.length === 1 && m.voters[0] === id)
        return `member ${id} is the only voter; add and promote another member before removing it`;
      return {
        voters: without(m.voters),
        learners: without(m.learners),
        autoPromote: without(m.autoPromote),
        // Kept: an id is never reused, and clients may still list the old address under its id.
        addresses: m.addresses,
        removed: sorted([...(m.removed ?? []), id]),
      };
  }
}

/** Whether `value` is a well-formed Membership (it arrives from disks and peers). */
export function isMembership(value: unknown): value is Membership {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const ids = (x: unknown): x is PeerId[] => Array.isArray(x) && x.every(isMemberId);
  if (!ids(v.voters) || !ids(v.learners) || !ids(v.autoPromote) || !Array.isArray(v.addresses)) return false;
  if (v.voters.some((id) => (v.learners as PeerId[]).includes(id))) return false;
  if (v.removed !== undefined) {
    if (!ids(v.removed)) return false;
    const members = [...v.voters, ...v.learners];
    if (v.removed.some((id) => members.includes(id))) return false;
  }
  if (!v.autoPromote.every((id) => (v.learners as PeerId[]).includes(id))) return false;
  return v.addresses.every(
    (a: unknown) =>
      typeof a === "object" &&
      a !== null &&
      isMemberId((a as MemberAddress).id) &&
      typeof (a as MemberAddress).address === "string",
  );
}

/** "voters 0,1,2 learners 3": for logs and transcripts. */
export function describeMembership(m: Membership): string {
  const learners = m.learners.length > 0 ? ` learners ${m.learners.join(",")}` : "";
  return `voters ${m.voters.join(",")}${learners}`;
}
