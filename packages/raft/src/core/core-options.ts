import type { RaftConfig } from "../config.js";
import { RaftConfigError } from "../errors.js";
import type { PeerId, Random } from "../interfaces.js";
import type { HardState, LogEntry, SnapshotMeta } from "../types.js";
import { isMemberId } from "./membership.js";

/** Durable state to start from (what a persister loaded), or nothing for a brand new member. */
export interface CoreInitialState<Command = unknown> {
  readonly hardState: HardState;
  readonly snapshot?: { readonly meta: SnapshotMeta; readonly data: Uint8Array } | undefined;
  /** The entries after the snapshot, in order. */
  readonly entries: readonly LogEntry<Command>[];
}

export interface CoreOptions<Command = unknown> {
  /** This member's id: a non-negative integer, stable for the life of its storage. */
  id: PeerId;
  /**
   * The initial voters of a new cluster, by id (every founding member must be given the same
   * list). An empty list starts a member that joins an existing cluster: it takes no part until
   * a leader adds it and sends it the log. Ignored once the log or a snapshot holds a
   * configuration. Default: 0 .. peerCount-1.
   */
  members?: readonly PeerId[];
  /** Shorthand for `members: [0 .. peerCount-1]`. */
  peerCount?: number;
  /** Source of randomized election timeouts. */
  random: Random;
  /** The current time (ms), to place the first election deadline. */
  now: number;
  config?: Partial<RaftConfig>;
  initial?: CoreInitialState<Command> | undefined;
  /**
   * The driver reports with `persisted(index)` when its log is durable through `index`, and the
   * leader counts its own copy of an entry toward a quorum only from then on. That lets a driver
   * send AppendEntries while its own write is still in flight (the leader's disk write and the
   * followers' then overlap). Default false: a Ready is persisted before any of it is acted on,
   * so the leader's whole log counts at once.
   */
  explicitDurability?: boolean;
  /**
   * The size in bytes that flow control counts for an entry (computed once per entry, when first
   * needed). Default: the length of its command's cbor encoding, as the wire carries it.
   */
  entryBytes?: (entry: LogEntry<Command>) => number;
}

/** The initial voters from the options: `members`, or 0 .. peerCount-1. */
export function resolveMembers(options: { members?: readonly PeerId[]; peerCount?: number }): PeerId[] {
  const { members, peerCount } = options;
  if (members !== undefined) {
    if (peerCount !== undefined) throw new RaftConfigError("give either members or peerCount, not both");
    for (const id of members)
      if (!isMemberId(id)) throw new RaftConfigError(`bad member id ${String(id)}: a non-negative integer`);
    return [...new Set(members)];
  }

  if (peerCount === undefined || !Number.isInteger(peerCount) || peerCount < 1)
    throw new RaftConfigError(`bad peerCount ${String(peerCount)}: give a positive integer, or members`);
  return Array.from({ length: peerCount }, (_, i) => i);
}
