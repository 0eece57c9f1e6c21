import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The built `raftkit-kv` program. This file sits two folders below the package root both as
 * source (src/testkit) and built (dist/testkit); tests and tools start the build, which costs no
 * TypeScript compilation per process (seconds each on a loaded machine).
 */
export const CLI = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** A running `raftkit-kv serve`: its stderr, line by line as it comes, and its exit code. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** The stderr lines so far (the member's log), appended as they arrive. */
  readonly log: string[];
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
}

/** Starts `raftkit-kv serve` with `args` (the flags after `serve`) as a child process; stdout is ignored. */
export function spawnServe(args: readonly string[]): ServeProcess {
  const child = spawn(process.execPath, [CLI, "serve", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  const log: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => log.push(...chunk.toString().split("\n").filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, log, exited };
}
