import type { Membership } from "./core/membership.js";
import type { PeerId } from "./interfaces.js";

/** One log entry. Its index is its position in the log (the first entry is index 1). */
export interface LogEntry<Command = unknown> {
  readonly term: number;
  readonly command: Command;
}

/** The part of raft's state that must survive a crash besides the log: current term and vote. */
export interface HardState {
  readonly term: number;
  /** The candidate voted for in `term`, or null. */
  readonly votedFor: PeerId | null;
}

/** Where a snapshot ends: the last index it covers and that entry's term. */
export interface SnapshotMeta {
  readonly index: number;
  readonly term: number;
  /**
   * The configuration in force at `index` (raft writes it with every snapshot; absent in state
   * written before configurations existed, which then uses the initial member list).
   */
  readonly config?: Membership;
}

/**
 * What the service sees, in log order: a committed command, a snapshot replacing its state, or
 * the no-op a new leader commits at the start of its term (nothing to apply; it only moves the
 * applied index, which a linearizable read may be waiting for).
 */
export type ApplyMsg<Command = unknown> =
  | { readonly kind: "command"; readonly index: number; readonly term: number; readonly command: Command }
  | { readonly kind: "noop"; readonly index: number; readonly term: number }
  /**
   * A configuration change, committed (it took effect on each member as soon as it was in the
   * log; the service has nothing to apply, only the index moves, as for a no-op).
   */
  | {
      readonly kind: "config";
      readonly index: number;
      readonly term: number;
      readonly membership: Membership;
    }
  | {
      readonly kind: "snapshot";
      readonly index: number;
      readonly term: number;
      readonly snapshot: Uint8Array;
    };

/** The answer of `start(command)`: where the command will appear if it is ever committed. */
export interface StartResult {
  readonly index: number;
  readonly term: number;
  readonly isLeader: boolean;
}

/** The answer of `getState()`. */
export interface RaftState {
  readonly term: number;
  readonly isLeader: boolean;
}

/** A pre-candidate asks for pre-votes (see `RaftConfig.preVote`) before it becomes a candidate. */
export type Role = "follower" | "pre-candidate" | "candidate" | "leader";
