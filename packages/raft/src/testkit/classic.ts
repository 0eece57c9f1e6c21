/** The environment variable that turns pre-vote and check-quorum off in the lab harnesses. */
export const CLASSIC_ENV = "RAFTKIT_RAFT_CLASSIC";

/**
 * `{ preVote: false, checkQuorum: false }` when `RAFTKIT_RAFT_CLASSIC=1`, else `{}`: the lab
 * harnesses (raft's Cluster, kvraft's test config) spread it under their own config, so the lab
 * suites can show they pass with the protocol of the Raft paper as well as with the extensions
 * on (raft's test script runs them both ways). The per-term no-op has no switch: it stays on.
 */
export function classicFromEnvironment(): { preVote?: boolean; checkQuorum?: boolean } {
  return globalThis.process?.env?.[CLASSIC_ENV] === "1" ? { preVote: false, checkQuorum: false } : {};
}
