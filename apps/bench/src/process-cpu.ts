import { readFileSync } from "node:fs";

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) process `pid` has used so far, in µs, from /proc (10 ms resolution:
 * over a run of thousands of operations, a few µs per operation); undefined where there is no
 * /proc or the process is gone.
 */
export function processCpuUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1_000_000) / TICKS_PER_SECOND : undefined;
}

/** This process's CPU time so far, in µs. */
export function ownCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * CPU time of a deployment's server processes, by member, that never goes backwards: a process
 * that exits keeps the last figure read.
 */
export class ServerCpu {
  readonly #last: number[] = [];

  constructor(private readonly pids: () => ReadonlyArray<number | undefined>) {}

  read(): number[] {
    for (const [i, pid] of this.pids().entries()) {
      const us = processCpuUs(pid);
      if (us !== undefined) this.#last[i] = us;
      else this.#last[i] ??= 0;
    }
    return [...this.#last];
  }
}
