import { execFile } from "node:child_process";
import * as assert from "uvu/assert";
import { CLI } from "../../src/testkit/index.js";

/** How a run of the program ended: its exit code (null if killed), output, and wall time. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the program to completion (killed after `limitMs`), feeding `stdin` if given. */
export function kv(args: string[], options: { stdin?: string; limitMs?: number } = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { timeout: options.limitMs ?? 30_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : null) : 0,
          stdout,
          stderr,
          ms: Math.round(performance.now() - started),
        }),
    );
    child.stdin!.end(options.stdin ?? "");
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 200 ms until it gives a value; throws naming `what` after `withinMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  withinMs = 30_000,
): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await sleep(200);
  }
}

/** The leader's configuration, as `member list --json` prints it. */
export async function memberList(
  peers: string,
): Promise<{ voters: number[]; learners: number[]; leaderId: number; addresses: string[] }> {
  const run = await kv(["member", "list", "--json", "--peers", peers, "--timeout", "5000"]);
  assert.is(run.code, 0, run.stderr);
  const reply = JSON.parse(run.stdout);
  return { ...reply.membership, leaderId: reply.leaderId, addresses: reply.addresses };
}
