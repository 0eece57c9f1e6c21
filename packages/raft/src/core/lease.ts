import type { RaftConfig } from "../config.js";

/**
 * Until when a leader may serve reads from its own state without asking a majority (a lease,
 * Raft thesis §6.4.1). Members that acknowledged a heartbeat sent at `confirmedSentAt` refuse
 * votes for electionTimeoutMinMs after receiving it (leader stickiness, part of check-quorum),
 * so no other leader can exist before then by their clocks; the drift bound covers clocks that
 * run at different rates. Without check-quorum there is no lease.
 */
export function leaseExpiresAt(confirmedSentAt: number, config: Readonly<RaftConfig>): number {
  if (!config.checkQuorum) return Number.NEGATIVE_INFINITY;
  return confirmedSentAt + config.electionTimeoutMinMs - config.maxClockDriftMs;
}
