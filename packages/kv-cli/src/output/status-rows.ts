import type { Probe } from "../cluster-client.js";

/** One member's line in `raftkit-kv status`, as printed by every output format. */
export interface StatusRow {
  member: number;
  address: string;
  /** The member's raft role, or "unreachable". */
  role: string;
  /** A learner in the configuration: it replicates the log but never votes nor counts in a quorum. */
  learner: boolean;
  term: number | undefined;
  commit: number | undefined;
  applied: number | undefined;
  /** Entries this member has yet to apply, against the highest commit index any member reports. */
  lag: number | undefined;
  /** Milliseconds since a follower last heard from its leader (0 for the leader). */
  lastContactMs: number | undefined;
  /** Why an unreachable member could not be asked. */
  problem: string | undefined;
}

export function statusRows(probes: readonly Probe[], problemOf: (probe: Probe) => string): StatusRow[] {
  const highestCommit = Math.max(0, ...probes.map((p) => p.status?.commitIndex ?? 0));
  return probes.map((p) => {
    const s = p.status;
    return {
      member: p.id,
      address: p.address,
      role: s?.role ?? "unreachable",
      learner: p.learner === true,
      term: s?.term,
      commit: s?.commitIndex,
      applied: s?.appliedIndex,
      lag: s ? Math.max(0, highestCommit - s.appliedIndex) : undefined,
      lastContactMs: s?.lastContactMs,
      problem: s ? undefined : problemOf(p),
    };
  });
}
