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
}

/** What the service sees, in log order: a committed command, or a snapshot replacing its state. */
export type ApplyMsg<Command = unknown> =
  | { readonly kind: "command"; readonly index: number; readonly term: number; readonly command: Command }
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

export type Role = "follower" | "candidate" | "leader";
