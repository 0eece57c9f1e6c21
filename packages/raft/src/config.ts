import { RaftConfigError } from "./errors.js";

/** Timing and batching knobs. Times are in milliseconds of the injected Clock. */
export interface RaftConfig {
  /** How often an idle leader sends AppendEntries to each follower. */
  heartbeatIntervalMs: number;
  /** Election timeouts are drawn uniformly from [min, max). */
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  /** The most entries one AppendEntries carries. */
  maxEntriesPerMessage: number;
}

/**
 * Defaults for the lab's networks: 150 ms heartbeats (under 7 per second per follower when idle,
 * well below the lab's 10) and 500–1000 ms election timeouts, so that a follower must miss three
 * heartbeats in a row (0.1% on the lab's unreliable network) before it starts an election, while
 * an election still completes well within the lab's 5 seconds.
 */
export const DEFAULT_CONFIG: Readonly<RaftConfig> = Object.freeze({
  heartbeatIntervalMs: 150,
  electionTimeoutMinMs: 500,
  electionTimeoutMaxMs: 1000,
  maxEntriesPerMessage: 512,
});

/** Fills in defaults and checks that the values make sense together. */
export function resolveConfig(partial: Partial<RaftConfig> = {}): RaftConfig {
  const config = { ...DEFAULT_CONFIG, ...partial };
  const positive = (name: keyof RaftConfig) => {
    const value = config[name];
    if (!Number.isFinite(value) || value <= 0)
      throw new RaftConfigError(`${name} must be positive, got ${value}`);
  };
  positive("heartbeatIntervalMs");
  positive("electionTimeoutMinMs");
  positive("electionTimeoutMaxMs");
  positive("maxEntriesPerMessage");
  if (config.electionTimeoutMaxMs <= config.electionTimeoutMinMs) {
    throw new RaftConfigError("electionTimeoutMaxMs must be greater than electionTimeoutMinMs");
  }
  if (config.electionTimeoutMinMs <= config.heartbeatIntervalMs) {
    throw new RaftConfigError("electionTimeoutMinMs must be greater than heartbeatIntervalMs");
  }
  if (!Number.isInteger(config.maxEntriesPerMessage)) {
    throw new RaftConfigError("maxEntriesPerMessage must be an integer");
  }
  return config;
}
