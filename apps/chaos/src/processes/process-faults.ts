import type { Random } from "@raftkit/raft";
import type { KvProcesses } from "./kv-processes.js";

export const PROCESS_FAULTS = [
  "isolate-member",
  "isolate-leader",
  "one-way-from-leader",
  "delay-links",
  "drop-links",
  "kill9-one",
  "kill9-leader",
  "kill9-majority",
  "pause-one",
  "pause-leader",
] as const;

export type ProcessFault = (typeof PROCESS_FAULTS)[number];

/** A fault in force on real processes: what it did, and how to undo it (restarts included). */
export interface ActiveProcessFault {
  readonly text: string;
  heal(): Promise<void> | void;
}

/** Heals every link given. */
const healAll = (links: readonly { heal(): void }[]) => () => {
  for (const link of links) link.heal();
};

const others = (n: number, i: number) => Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);

function isolate(cluster: KvProcesses, i: number, why: string): ActiveProcessFault {
  const links = others(cluster.size, i).flatMap((j) => [cluster.proxy(i, j), cluster.proxy(j, i)]);
  for (const link of links) link.set({ cut: true });
  return {
    text: `isolate member ${i}${why} (both ways, through its proxies)`,
    heal: healAll(links),
  };
}

async function kill(
  cluster: KvProcesses,
  members: readonly number[],
  why: string,
): Promise<ActiveProcessFault> {
  await Promise.all(members.map((i) => cluster.kill9(i)));
  return {
    text: `kill -9 ${members.join(", ")}${why}`,
    heal: () => {
      for (const i of members) if (!cluster.isRunning(i)) cluster.start(i);
    },
  };
}

function pause(cluster: KvProcesses, i: number, why: string): ActiveProcessFault {
  cluster.pause(i);
  return { text: `SIGSTOP member ${i}${why}`, heal: () => cluster.resume(i) };
}

/** Injects one fault into the running processes. */
export async function injectProcessFault(
  kind: ProcessFault,
  cluster: KvProcesses,
  random: Random,
): Promise<ActiveProcessFault> {
  const n = cluster.size;
  const any = () => random.int(n);
  const leader = async () => {
    const leaders = await cluster.leaders();
    return leaders.sort((a, b) => b.term - a.term)[0]?.id ?? any();
  };
  switch (kind) {
    case "isolate-member":
      return isolate(cluster, any(), "");
    case "isolate-leader":
      return isolate(cluster, await leader(), " (the leader)");
    case "one-way-from-leader": {
      const from = await leader();
      const links = others(n, from).map((j) => cluster.proxy(from, j));
      for (const link of links) link.set({ cut: true });
      return {
        text: `cut what leader ${from} sends (it still hears the others)`,
        heal: healAll(links),
      };
    }
    case "delay-links": {
      const delayMs = 50 + random.int(350);
      const links = Array.from({ length: n }, (_, i) => others(n, i).map((j) => cluster.proxy(i, j))).flat();
      for (const link of links) link.set({ delayMs });
      return { text: `delay every link by ${delayMs} ms`, heal: healAll(links) };
    }
    case "drop-links": {
      const dropPerMille = 20 + random.int(80);
      const links = Array.from({ length: n }, (_, i) => others(n, i).map((j) => cluster.proxy(i, j))).flat();
      for (const link of links) link.set({ dropPerMille });
      return {
        text: `reset ${dropPerMille / 10}% of segments' connections on every link`,
        heal: healAll(links),
      };
    }
    case "kill9-one":
      return kill(cluster, [any()], "");
    case "kill9-leader":
      return kill(cluster, [await leader()], " (the leader)");
    case "kill9-majority": {
      const first = any();
      return kill(cluster, [first, ...others(n, first).slice(0, Math.floor(n / 2))], " (a majority)");
    }
    case "pause-one":
      return pause(cluster, any(), "");
    case "pause-leader":
      return pause(cluster, await leader(), " (the leader)");
  }
}
