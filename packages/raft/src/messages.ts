import type { Membership } from "./core/membership.js";
import type { PeerId } from "./interfaces.js";
import type { LogEntry } from "./types.js";

/** The RPCs raft peers exchange, as plain data (they cross the wire as cbor). */

export interface RequestVoteArgs {
  term: number;
  candidateId: PeerId;
  lastLogIndex: number;
  lastLogTerm: number;
  /**
   * A pre-vote: would you vote for me in `term`? Nobody changes term or vote for it; a grant is
   * answered with `term` itself.
   */
  preVote?: boolean;
  /** The campaign a leadership transfer asked for: members vote even if they heard from the leader. */
  transfer?: boolean;
}

export interface RequestVoteReply {
  term: number;
  voteGranted: boolean;
}

export interface AppendEntriesArgs<Command = unknown> {
  term: number;
  leaderId: PeerId;
  prevLogIndex: number;
  prevLogTerm: number;
  entries: LogEntry<Command>[];
  leaderCommit: number;
}

/**
 * On rejection, a hint for fast backup: `conflictTerm` is the follower's term at `prevLogIndex`
 * (0 when it has no entry there) and `conflictIndex` the first index it holds of that term, or
 * its last index + 1 when its log is too short.
 */
export interface AppendEntriesReply {
  term: number;
  success: boolean;
  conflictIndex: number;
  conflictTerm: number;
}

/**
 * One chunk of the leader's snapshot (the Raft paper's Figure 13): `data` is its bytes from
 * `offset` on, and `done` marks the last chunk. Chunks go one at a time, at most
 * `maxMessageBytes` each, so a state of any size travels without one huge message.
 */
export interface InstallSnapshotArgs {
  term: number;
  leaderId: PeerId;
  lastIncludedIndex: number;
  lastIncludedTerm: number;
  /** The configuration in force at `lastIncludedIndex` (absent from older senders). */
  config?: Membership;
  offset: number;
  data: Uint8Array;
  done: boolean;
}

/**
 * `installed`: the follower holds the state through `lastIncludedIndex` (it installed the
 * snapshot, or had committed that far already). Otherwise `nextOffset` is the byte of this
 * snapshot it expects next (0: start again).
 */
export interface InstallSnapshotReply {
  term: number;
  installed: boolean;
  nextOffset: number;
}

/** A leader transferring its leadership tells the up-to-date target to campaign now. */
export interface TimeoutNowArgs {
  term: number;
  leaderId: PeerId;
}

export interface TimeoutNowReply {
  term: number;
}

/** The RPC method names, as registered on a transport (labrpc: `"Raft.<method>"`). */
export const RAFT_METHODS = ["RequestVote", "AppendEntries", "InstallSnapshot", "TimeoutNow"] as const;
export type RaftMethod = (typeof RAFT_METHODS)[number];

/** A request the core wants sent; the node sends it and feeds the reply back. */
export type OutgoingMessage<Command = unknown> =
  | { readonly to: PeerId; readonly method: "RequestVote"; readonly args: RequestVoteArgs }
  | { readonly to: PeerId; readonly method: "AppendEntries"; readonly args: AppendEntriesArgs<Command> }
  | { readonly to: PeerId; readonly method: "InstallSnapshot"; readonly args: InstallSnapshotArgs }
  | { readonly to: PeerId; readonly method: "TimeoutNow"; readonly args: TimeoutNowArgs };
