import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { DeployOptions } from "./scenario.js";

/** The built `raftkit-kv` program. */
export const CLI = join(
  dirname(createRequire(import.meta.url).resolve("@raftkit/kv-cli/package.json")),
  "dist/main.js",
);

/** One `raftkit-kv serve` member to start: a founder (an index into `peers`) or one that joins. */
export interface ServeMember {
  id: number;
  /** The founders' addresses (`--peers`). */
  peers: readonly string[];
  data: string;
  /** A member joining a running cluster listens here (`--join --listen`). */
  joinAt?: string;
  /** `--max-raft-state`: snapshot once the log grows past this many bytes (the member's default if absent). */
  maxRaftStateBytes?: number;
  /** Tells the profile files of one deployment apart. */
  started: number;
}

/** Starts a `raftkit-kv serve` process with the deployment's read mode, timing and profiling. */
export function spawnMember(member: ServeMember, options: DeployOptions): ChildProcess {
  const { id, timing, profile } = { ...member, timing: options.timing, profile: options.profileDir };
  return spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      ...(profile
        ? [
            ...["--cpu-prof", "--cpu-prof-dir", profile],
            ...["--cpu-prof-name", `member-${id}-${member.started}.cpuprofile`],
          ]
        : []),
      CLI,
      "serve",
      ...["--id", String(id), "--peers", member.peers.join(","), "--data", member.data],
      ...(member.joinAt ? ["--join", "--listen", member.joinAt] : []),
      ...(member.maxRaftStateBytes ? ["--max-raft-state", String(member.maxRaftStateBytes)] : []),
      ...["--reads", options.reads],
      ...(timing
        ? [
            ...["--heartbeat", String(timing.heartbeatMs)],
            ...["--election-timeout", `${timing.electionTimeoutMs.min}-${timing.electionTimeoutMs.max}`],
          ]
        : []),
    ],
    { stdio: "ignore" },
  );
}
