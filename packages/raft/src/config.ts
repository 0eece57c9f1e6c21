import { RaftConfigError } from "./errors.js";

/** Timing, batching and protocol switches. Times are in milliseconds of the injected Clock. */
export interface RaftConfig {
  /** How often an idle leader sends AppendEntries to each follower. */
  heartbeatIntervalMs: number;
  /** Election timeouts are drawn uniformly from [min, max). */
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  /** The most entries one AppendEntries carries. */
  maxEntriesPerMessage: number;
  /**
   * The most bytes of entries one AppendEntries carries (a single larger entry still goes
   * alone), and the size of each InstallSnapshot chunk: no message grows with the log or the
   * state, so none can outgrow a transport's frame limit.
   */
  maxMessageBytes: number;
  /** A command whose encoding is larger is refused by `propose` (ProposalTooLargeError). */
  maxProposalBytes: number;
  /** Per follower: the most AppendEntries/InstallSnapshot calls in flight (not yet settled). */
  maxInflightMessages: number;
  /** Per follower: no new batch is sent while this many bytes of entries are in flight. */
  maxInflightBytes: number;
  /**
   * The leader refuses proposals (UncommittedLimitError, retryable) while this many bytes of its
   * own proposals wait for a quorum: backpressure instead of an unbounded log in memory.
   */
  maxUncommittedBytes: number;
  /**
   * Pre-vote (Raft thesis §9.6): before raising its term, a member that timed out asks whether
   * a majority would vote for it; a member cut off for a while rejoins without raising the term
   * and deposing a healthy leader.
   */
  preVote: boolean;
  /**
   * Check-quorum and leader stickiness: a leader that has not heard from a majority for an
   * election timeout (electionTimeoutMinMs) steps down, and a member that heard from a live
   * leader less than electionTimeoutMinMs ago refuses votes (and pre-votes) for a higher term.
   * Lease reads depend on it.
   */
  checkQuorum: boolean;
  /**
   * Lease reads: how much members' clocks may drift apart over one election timeout (rate
   * difference, process pauses). A leader serves lease reads until electionTimeoutMinMs minus
   * this much after sending a heartbeat that a majority acknowledged; members refuse votes for
   * electionTimeoutMinMs after hearing from it. Must be below electionTimeoutMinMs; default: a
   * fifth of electionTimeoutMinMs.
   */
  maxClockDriftMs: number;
}

/**
 * Defaults for the lab's networks: 150 ms heartbeats (under 7 per second per follower when idle,
 * well below the lab's 10) and 500–1000 ms election timeouts, so that a follower must miss three
 * heartbeats in a row (0.1% on the lab's unreliable network) before it starts an election, while
 * an election still completes well within the lab's 5 seconds. Pre-vote and check-quorum are on
 * (etcd's recommended setting). A 100 ms drift bound leaves a 400 ms lease, renewed by every
 * 150 ms heartbeat round.
 */
export const DEFAULT_CONFIG: Readonly<RaftConfig> = Object.freeze({
  heartbeatIntervalMs: 150,
  electionTimeoutMinMs: 500,
  electionTimeoutMaxMs: 1000,
  maxEntriesPerMessage: 512,
  // 4 MiB messages stay far below transport-tcp's 64 MiB frames; a 1 GiB state is 256 chunks.
  maxMessageBytes: 4 * 1024 * 1024,
  // etcd refuses requests over 1.5 MiB by default; a value of megabytes belongs in a blob store.
  maxProposalBytes: 1024 * 1024,
  // etcd's default window; with 16 MiB, a follower that stops reading costs the leader at most
  // 16 MiB (+ one message) of copies in flight, while a healthy one is never throttled on a LAN.
  maxInflightMessages: 256,
  maxInflightBytes: 16 * 1024 * 1024,
  maxUncommittedBytes: 64 * 1024 * 1024,
  preVote: true,
  checkQuorum: true,
  maxClockDriftMs: 100,
});

type NumericKey = { [K in keyof RaftConfig]: RaftConfig[K] extends number ? K : never }[keyof RaftConfig];

/** Fills in defaults and checks that the values make sense together. */
export function resolveConfig(partial: Partial<RaftConfig> = {}): RaftConfig {
  const config = { ...DEFAULT_CONFIG, ...partial };
  // The drift bound scales with the election timeout unless given: a fifth of it (100 of 500 ms).
  if (partial.maxClockDriftMs === undefined) config.maxClockDriftMs = config.electionTimeoutMinMs / 5;
  const positive = (name: NumericKey) => {
    const value = config[name];
    if (!Number.isFinite(value) || value <= 0)
      throw new RaftConfigError(`${name} must be positive, got ${value}`);
  };
  positive("heartbeatIntervalMs");
  positive("electionTimeoutMinMs");
  positive("electionTimeoutMaxMs");
  for (const name of [
    "maxEntriesPerMessage",
    "maxMessageBytes",
    "maxProposalBytes",
    "maxInflightMessages",
    "maxInflightBytes",
    "maxUncommittedBytes",
  ] as const)
    positive(name);
  if (config.electionTimeoutMaxMs <= config.electionTimeoutMinMs) {
    throw new RaftConfigError("electionTimeoutMaxMs must be greater than electionTimeoutMinMs");
  }
  if (config.electionTimeoutMinMs <= config.heartbeatIntervalMs) {
    throw new RaftConfigError("electionTimeoutMinMs must be greater than heartbeatIntervalMs");
  }
  if (!Number.isInteger(config.maxEntriesPerMessage) || !Number.isInteger(config.maxInflightMessages)) {
    throw new RaftConfigError("maxEntriesPerMessage and maxInflightMessages must be integers");
  }
  if (config.maxProposalBytes > config.maxMessageBytes) {
    throw new RaftConfigError(
      `maxProposalBytes (${config.maxProposalBytes}) must not exceed maxMessageBytes (${config.maxMessageBytes}): such a proposal could never be sent`,
    );
  }
  if (config.maxProposalBytes > config.maxUncommittedBytes) {
    throw new RaftConfigError(
      `maxProposalBytes (${config.maxProposalBytes}) must not exceed maxUncommittedBytes (${config.maxUncommittedBytes})`,
    );
  }
  for (const name of ["preVote", "checkQuorum"] as const) {
    if (typeof config[name] !== "boolean") {
      throw new RaftConfigError(`${name} must be true or false, got ${String(config[name])}`);
    }
  }
  const drift = config.maxClockDriftMs;
  if (!Number.isFinite(drift) || drift < 0 || drift >= config.electionTimeoutMinMs) {
    throw new RaftConfigError(
      `maxClockDriftMs must be in [0, electionTimeoutMinMs = ${config.electionTimeoutMinMs}), got ${drift}`,
    );
  }
  return config;
}
