import type { Clock } from "../../interfaces.js";
import type { StartResult } from "../../types.js";
import type { ChaosCluster } from "./chaos-cluster.js";

/** Proposes `command` on member i's raft, if it runs and is not paused. */
function propose<Command>(
  cluster: ChaosCluster<Command>,
  i: number,
  command: Command,
): StartResult | undefined {
  const member = cluster.member(i);
  if (!member || !cluster.isUp(i) || cluster.isPaused(i)) return undefined;
  return (member.raft.start as (command: Command) => StartResult)(command);
}

/** Raft alone: proposes a unique command to the leader every `everyMs` (jittered ±50%) while `going()`. */
export async function proposeUntil<Command>(
  cluster: ChaosCluster<Command>,
  clock: Clock & { random: { int(n: number): number } },
  command: (unique: number) => Command,
  going: () => boolean,
  everyMs: number,
): Promise<void> {
  for (let n = 1; going(); ) {
    const leader = cluster.leader();
    if (leader !== undefined && propose(cluster, leader, command(n))?.isLeader) n++;
    await clock.sleep(everyMs / 2 + clock.random.int(everyMs + 1));
  }
}

/**
 * Raft alone, after the heal: proposes `command` until a leader takes it, then resolves once
 * every member has committed an entry at or past its index and the checkers saw it committed.
 * Retries with a new leader when the first one lost the entry.
 */
export async function raftProbe<Command>(
  cluster: ChaosCluster<Command>,
  clock: Clock,
  command: Command,
): Promise<void> {
  for (;;) {
    const leader = cluster.leader();
    const started = leader === undefined ? undefined : propose(cluster, leader, command);
    if (started?.isLeader) {
      for (let k = 0; k < 40; k++) {
        await clock.sleep(50);
        cluster.check();
        const everyone = cluster
          .all()
          .every((i) => (cluster.member(i)?.raft.commitIndex ?? 0) >= started.index);
        if (everyone && cluster.committed(started.index) !== undefined) return;
      }
    } else {
      await clock.sleep(50);
    }
  }
}
