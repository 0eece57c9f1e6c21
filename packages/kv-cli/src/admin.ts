import type { TransportStats } from "@raftkit/transport-tcp";

/** The method every `raftkit-kv serve` member answers with its state (`MemberStatus`). */
export const ADMIN_STATUS = "Admin.Status";

/** What `Admin.Status` returns: one member's own view of itself. */
export interface MemberStatus {
  id: number;
  term: number;
  isLeader: boolean;
  /** "leader", "candidate", "follower" (or another role raft adds). */
  role: string;
  /** The member this one believes leads, if any. */
  leaderId: number | undefined;
  /** Highest log index known committed, and highest applied to the key/value state. */
  commitIndex: number;
  appliedIndex: number;
  /** Milliseconds since a follower last heard from a leader; 0 for the leader. */
  lastContactMs: number | undefined;
  /**
   * InstallSnapshot requests this member has received (chunks of a leader's snapshot): a member
   * that caught up by snapshot has more than 0.
   */
  snapshotChunksReceived: number;
  /** Members' addresses by id as this member knows them: its --peers, then members added since. */
  peers: string[];
  /**
   * The latest configuration in this member's log: a client learns the members it was not given
   * from it (absent from members older than endpoint sync).
   */
  voters?: number[];
  learners?: number[];
  transport: TransportStats;
}
