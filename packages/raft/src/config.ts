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
 * Defaults for the lab's networks: 100 ms heartbeats (10 per second per follower at most) and
 * 400–800 ms election timeouts, so a lost heartbeat or two never starts an election.
 */
export const DEFAULT_CONFIG: Readonly<RaftConfig> = Object.freeze({
  heartbeatIntervalMs: 100,
  electionTimeoutMinMs: 400,
  electionTimeoutMaxMs: 800,
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
